import type {AwsFiles} from './files.js';
import {envValue, type Env} from '../env.js';
import {RULES} from '../rules.js';
import type {TokenEndpoint} from '../request.js';
import {firstValidFound, option, variable} from './values.js';

/**
 * The services awsmfa calls, by botocore's name for their settings (the service id, spaces as underscores):
 * `AWS_ENDPOINT_URL_<NAME>` upper-cased, `<name> =` in a `[services …]` section.
 */
export type EndpointService = `sts` | `iam` | `signin` | `sso` | `sso_oidc`;

/** The endpoint variables of a service, in the SDKs' order. */
export const endpointVariables = (env: Env, service: EndpointService) => [variable(env, SERVICE_VARIABLES[service]), variable(env, `AWS_ENDPOINT_URL`)];

// Spelled out once, not upper-cased for each profile resolved.
const SERVICE_VARIABLES: Record<EndpointService, string> = {sts: `AWS_ENDPOINT_URL_STS`, iam: `AWS_ENDPOINT_URL_IAM`, signin: `AWS_ENDPOINT_URL_SIGNIN`, sso: `AWS_ENDPOINT_URL_SSO`, sso_oidc: `AWS_ENDPOINT_URL_SSO_OIDC`};

/**
 * The SDKs' endpoint settings for a service, in their order: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the
 * service's endpoint_url in the profile's `services` section, then the profile's endpoint_url; none of them when
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (or the profile's ignore_configured_endpoint_urls) is true.
 */
export function resolveEndpoint(files: AwsFiles, profile: string, given: string | undefined, env: Env, service: EndpointService = `sts`): {endpoint: string | undefined, endpointOrigin: string | undefined} {
  const ignore = envValue(env, `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`) ?? files.setting(profile, `ignore_configured_endpoint_urls`);
  if (given === undefined && ignore?.toLowerCase() === `true`)
    return {endpoint: undefined, endpointOrigin: undefined};
  const services = files.setting(profile, `services`);
  // The first candidate found is the one checked: the profile's own are looked up only when nothing comes before.
  const found = firstValidFound(RULES.endpoint, option(`--endpoint-url`, given) ?? variable(env, SERVICE_VARIABLES[service]) ?? variable(env, `AWS_ENDPOINT_URL`)
    ?? (services === undefined ? undefined : files.serviceSetting(services, service, `endpoint_url`)) ?? files.locate(profile, `endpoint_url`));
  return {endpoint: found?.value, endpointOrigin: found?.origin};
}

/**
 * The partitions of the SDKs' partitions.json (botocore's and the JS SDK's say the same): a region's partition by
 * its pattern, and the partition's DNS suffix. A region no pattern matches is `aws`'s, as the SDKs take it.
 */
const PARTITIONS = [
  {id: `aws-cn`, regions: /^cn-\w+-\d+$/, dnsSuffix: `amazonaws.com.cn`},
  {id: `aws-us-gov`, regions: /^us-gov-\w+-\d+$/, dnsSuffix: `amazonaws.com`},
  {id: `aws-iso`, regions: /^us-iso-\w+-\d+$/, dnsSuffix: `c2s.ic.gov`},
  {id: `aws-iso-b`, regions: /^us-isob-\w+-\d+$/, dnsSuffix: `sc2s.sgov.gov`},
  {id: `aws-iso-e`, regions: /^eu-isoe-\w+-\d+$/, dnsSuffix: `cloud.adc-e.uk`},
  {id: `aws-iso-f`, regions: /^us-isof-\w+-\d+$/, dnsSuffix: `csp.hci.ic.gov`},
  {id: `aws-eusc`, regions: /^eusc-de-\w+-\d+$/, dnsSuffix: `amazonaws.eu`},
] as const;

/** The region's partition: its id and DNS suffix. */
export function partitionFor(region: string): {id: string, dnsSuffix: string} {
  return PARTITIONS.find(partition => partition.regions.test(region)) ?? {id: `aws`, dnsSuffix: `amazonaws.com`};
}

/** The token services: sign-in (aws login), the Identity Center portal and its OIDC service. */
export type TokenService = Extract<EndpointService, `signin` | `sso` | `sso_oidc`>;

/**
 * The service's own endpoint in a region, as its endpoint rules give it (botocore's data/<service>/…/
 * endpoint-rule-set-1.json, FIPS and dual-stack aside): sign-in has hosts of its own in the three public
 * partitions, and `signin.<region>.<suffix>` elsewhere; the Identity Center portal and its OIDC service are
 * `portal.sso.<region>.<suffix>` and `oidc.<region>.<suffix>`.
 */
export function defaultEndpoint(service: TokenService, region: string): string {
  const {id, dnsSuffix} = partitionFor(region);
  if (service === `signin`) {
    const own: Record<string, string> = {aws: `signin.aws.amazon.com`, 'aws-cn': `signin.amazonaws.cn`, 'aws-us-gov': `signin.amazonaws-us-gov.com`};
    return own[id] !== undefined ? `https://${region}.${own[id]}` : `https://signin.${region}.${dnsSuffix}`;
  }
  return `https://${service === `sso` ? `portal.sso` : `oidc`}.${region}.${dnsSuffix}`;
}

/**
 * The endpoint of a token service for a profile, as botocore chooses it (see resolveEndpoint), else the service's
 * own in the region.
 */
export function tokenEndpoint(files: AwsFiles, profile: string, env: Env, service: TokenService, region: string): TokenEndpoint {
  const configured = resolveEndpoint(files, profile, undefined, env, service);
  return configured.endpoint !== undefined
    ? {endpoint: configured.endpoint, endpointOrigin: configured.endpointOrigin}
    : {endpoint: defaultEndpoint(service, region), endpointOrigin: undefined};
}

/**
 * A path on an endpoint, as the SDKs join them: the endpoint's own path kept (`http://host/prefix` + `/v1/token`
 * is `http://host/prefix/v1/token`), its query dropped.
 */
export function endpointUrl(endpoint: string, path: string, query?: Record<string, string>): string {
  const url = new URL(endpoint);
  url.pathname = `${url.pathname.replace(/\/+$/, ``)}${path}`;
  url.search = query === undefined ? `` : new URLSearchParams(query).toString();
  url.hash = ``;
  return url.toString();
}
