import type {AwsFiles} from '../aws-files/files.js';
import {resolveEndpoint, type EndpointService} from '../aws-files/resolve.js';
import type {Env} from '../env.js';

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

/** The services of this folder, by the name their settings go by (see EndpointService). */
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

/** Where a call goes: the URL's base, and the setting that chose it (undefined for the service's own). */
export interface TokenEndpoint {
  readonly endpoint: string;
  readonly endpointOrigin: string | undefined;
}

/**
 * The endpoint of a token service for a profile, as botocore chooses it: AWS_ENDPOINT_URL_SIGNIN (…_SSO,
 * …_SSO_OIDC), AWS_ENDPOINT_URL, the service's endpoint_url in the profile's `services` section, the profile's
 * endpoint_url (none of them with ignore_configured_endpoint_urls), else the service's own in the region.
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
