// The STS client as awsmfa uses it: the build makes this file a bundle of its own (dist/sts.cjs), loaded only when
// a request needs it, compiled with V8's code cache (src/bin/bundles.ts). Only what is named here is bundled (the
// SDK's ES modules, tree-shaken): a name missing here is a type error where it is used.
export {AssumeRoleCommand, GetCallerIdentityCommand, GetFederationTokenCommand, GetSessionTokenCommand, STSClient} from '@aws-sdk/client-sts';
