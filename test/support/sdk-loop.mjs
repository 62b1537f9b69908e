/**
 * Long-running clients for the credentials server tests, one JSON line per call for SECONDS:
 * `js`: one STSClient of the AWS SDK for JavaScript v3 with its default credential chain, GetCallerIdentity every
 * half second; `cli`: the AWS CLI v2 (/usr/bin/aws: a pip `aws` v1 may come first on PATH) run again and again.
 */
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {GetCallerIdentityCommand, STSClient} from '@aws-sdk/client-sts';

const [kind, seconds] = process.argv.slice(2);
const end = Date.now() + Number(seconds) * 1000;
const endpoint = process.env.AWS_ENDPOINT_URL_STS;
const client = new STSClient({endpoint});
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

while (Date.now() < end) {
  let line;
  try {
    if (kind === `js`) {
      const answer = await client.send(new GetCallerIdentityCommand({}));
      line = {client: kind, ok: true, key: answer.UserId, arn: answer.Arn};
    } else {
      const {stdout} = await promisify(execFile)(`/usr/bin/aws`, [`sts`, `get-caller-identity`, `--endpoint-url`, endpoint, `--output`, `json`]);
      const answer = JSON.parse(stdout);
      line = {client: kind, ok: true, key: answer.UserId, arn: answer.Arn};
    }
  } catch (error) {
    line = {client: kind, ok: false, error: `${error.name}: ${error.message} ${error.Code ?? ``} ${error.Message ?? ``} ${error.stderr ?? ``}`};
  }
  process.stdout.write(`${JSON.stringify(line)}\n`);
  if (kind === `js`)
    await sleep(500);
}
