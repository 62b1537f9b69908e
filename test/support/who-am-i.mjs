/**
 * The JS SDK v3 asked who it is, as any Node tool's client would ask: credentials from the default chain of
 * @aws-sdk/credential-providers (fromNodeProviderChain: the environment, SSO, the shared files, credential_process,
 * a web identity, then the container endpoint), then STS GetCallerIdentity at ENDPOINT. Prints one JSON line:
 * {client, arn, key} or {client, error}.
 */
import {GetCallerIdentityCommand, STSClient} from '@aws-sdk/client-sts';
import {fromNodeProviderChain} from '@aws-sdk/credential-providers';

const [endpoint] = process.argv.slice(2);
try {
  const client = new STSClient({endpoint, region: process.env.AWS_REGION ?? `us-east-1`, credentials: fromNodeProviderChain()});
  const answer = await client.send(new GetCallerIdentityCommand({}));
  console.log(JSON.stringify({client: `js`, arn: answer.Arn, key: answer.UserId}));
} catch (error) {
  console.log(JSON.stringify({client: `js`, error: `${error.name}: ${error.message}`}));
}
