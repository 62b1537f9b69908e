"""What botocore (the AWS CLI v2's reader of ~/.aws) resolves for each profile of a set of AWS files.

Reads JSON on stdin: [{"dir": ..., "profiles": [...], "env": {...}?}, ...], where each dir holds `credentials` and
`config`, and `env` (optional) holds variables set while that case is resolved.
Prints JSON: per case, per profile, either {"error": kind} or what botocore would use: the scoped settings, the
static keys it would sign with, or the AssumeRole calls it would make (role, MFA serial, duration, session name,
and which access key signed each), recorded by a fake STS client so nothing leaves the machine.
"""
import json
import os
import sys

import botocore.credentials
import botocore.exceptions
import botocore.loaders
import botocore.session


class FakeSts:
    """Stands in for the STS client botocore creates to assume a role; records who signed what."""

    def __init__(self, calls, signed_by):
        self.calls = calls
        self.signed_by = signed_by

    def assume_role(self, **kwargs):
        self.calls.append({**kwargs, 'SignedBy': self.signed_by})
        n = len(self.calls)
        return {'Credentials': {
            'AccessKeyId': f'ASIAFAKESESSION{n:05d}',
            'SecretAccessKey': 'fake-secret',
            'SessionToken': 'fake-token',
            'Expiration': '2099-01-01T00:00:00Z',
        }}


LOADER = botocore.loaders.create_loader()


def resolve(directory, profile):
    os.environ['AWS_CONFIG_FILE'] = os.path.join(directory, 'config')
    os.environ['AWS_SHARED_CREDENTIALS_FILE'] = os.path.join(directory, 'credentials')
    session = botocore.session.Session(profile=profile)
    # One loader for every session: botocore's models (endpoints, STS) are read and parsed once, not per profile.
    session.register_component('data_loader', LOADER)
    try:
        profiles = session.full_config['profiles']
    except botocore.exceptions.ConfigParseError:
        return {'error': 'parse'}
    if profile not in profiles:
        return {'error': 'no-profile'}
    scoped = session.get_scoped_config()
    result = {'settings': {key: scoped.get(key) for key in
                           ('region', 'mfa_serial', 'role_arn', 'source_profile', 'duration_seconds', 'role_session_name', 'external_id')}}
    calls = []
    resolver = session.get_component('credential_provider')
    for provider in resolver.providers:
        if isinstance(provider, botocore.credentials.AssumeRoleProvider):
            provider._client_creator = lambda service, **kwargs: FakeSts(calls, kwargs.get('aws_access_key_id'))
            provider._prompter = lambda prompt: '123456'
    try:
        credentials = session.get_credentials()
        frozen = credentials.get_frozen_credentials() if credentials is not None else None
    except botocore.exceptions.InfiniteLoopConfigError:
        return {**result, 'error': 'loop'}
    except (botocore.exceptions.PartialCredentialsError, botocore.exceptions.InvalidConfigError, botocore.exceptions.ProfileNotFound,
            botocore.exceptions.CredentialRetrievalError) as error:
        return {**result, 'error': type(error).__name__}
    except botocore.exceptions.SSOTokenLoadError:
        # An Identity Center profile (or a role's source): botocore goes for its token, which no test has cached.
        return {**result, 'error': 'sso'}
    except botocore.exceptions.LoginTokenLoadError:
        # The same for an aws login profile.
        return {**result, 'error': 'login'}
    result['calls'] = [{key: call.get(key) for key in ('RoleArn', 'SerialNumber', 'DurationSeconds', 'RoleSessionName', 'ExternalId', 'SignedBy')} for call in calls]
    result['accessKeyId'] = frozen.access_key if frozen is not None else None
    try:
        client = session.create_client('sts', region_name=scoped.get('region') or 'us-east-1',
                                       aws_access_key_id='x', aws_secret_access_key='y')
        result['endpoint'] = client.meta.endpoint_url
    except Exception as error:  # an endpoint botocore refuses is an answer too
        result['endpoint'] = f'error: {type(error).__name__}'
    return result


def main():
    for name in ('AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
                 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_STS'):
        os.environ.pop(name, None)
    cases = json.load(sys.stdin)
    results = []
    for case in cases:
        # A case may set variables of its own (credential_source = Environment reads the keys there).
        os.environ.update(case.get('env', {}))
        results.append({profile: resolve(case['dir'], profile) for profile in case['profiles']})
        for name in case.get('env', {}):
            os.environ.pop(name, None)
    json.dump(results, sys.stdout)


main()
