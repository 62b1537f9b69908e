"""What botocore (with awscrt: pip botocore[crt]) makes of a profile's credentials, as the AWS CLI and boto3 would.

Usage: botocore-credentials.py PROFILE [cached]
The environment names the files (HOME, AWS_CONFIG_FILE, AWS_LOGIN_CACHE_DIRECTORY) and the stand-ins
(AWS_ENDPOINT_URL_SIGNIN, AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC).
- default: the credentials botocore's default chain hands a client now (get_frozen_credentials), refreshing as it
  would (a login session with less than 5 minutes left, an Identity Center token with less than 15);
- `cached`: what botocore's LoginProvider reads from the login cache as it is, with no refresh (the provider's load(),
  which takes the cached credentials whatever their expiry): does botocore read the file at all?
Prints one JSON line: {"ok": true, accessKeyId, secretAccessKey, sessionToken, expiration, accountId, method} or
{"ok": false, "error": "Type: message"}.
"""
import json
import sys

import botocore.credentials
import botocore.session


def main():
    profile = sys.argv[1]
    mode = sys.argv[2] if len(sys.argv) > 2 else 'frozen'
    session = botocore.session.Session(profile=profile)
    try:
        if mode == 'cached':
            provider = botocore.credentials.LoginProvider(
                load_config=lambda: session.full_config,
                client_creator=session.create_client,
                profile_name=profile,
            )
            credentials = provider.load()
            # The private fields: the public ones would refresh an expired session first.
            expiry = credentials._expiry_time
            account = credentials._account_id
            access, secret, token = credentials._access_key, credentials._secret_key, credentials._token
            method = credentials.method
        else:
            credentials = session.get_credentials()
            if credentials is None:
                raise RuntimeError('no credentials')
            frozen = credentials.get_frozen_credentials()
            access, secret, token = frozen.access_key, frozen.secret_key, frozen.token
            expiry = getattr(credentials, '_expiry_time', None)
            account = getattr(frozen, 'account_id', None)
            method = credentials.method
        print(json.dumps({
            'ok': True,
            'accessKeyId': access,
            'secretAccessKey': secret,
            'sessionToken': token,
            'expiration': expiry.isoformat() if expiry is not None else None,
            'accountId': account,
            'method': method,
        }))
    except Exception as error:  # every failure is an answer to report, not a crash
        print(json.dumps({'ok': False, 'error': f'{type(error).__name__}: {error}'}))


main()
