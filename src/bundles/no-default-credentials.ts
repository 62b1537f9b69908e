// Stands in, in the STS and IAM bundles (the build's --alias), for @aws-sdk/credential-provider-node: the SDK's
// default credential chain (the environment, the AWS files, SSO, web identity, processes, containers, the
// instance), which a client loads at start even when it is given its keys. awsmfa gives every client its keys
// (aws/client.ts clientConfig), so the chain never runs: leaving it out spares every request loading and
// compiling a third of the STS bundle. Should a client ever be made without keys, it fails here, saying why.
export function defaultProvider(): () => Promise<never> {
  return async () => {
    throw new Error(`awsmfa gives each AWS client its keys; the SDK's default credential chain is not in awsmfa's bundle`);
  };
}
