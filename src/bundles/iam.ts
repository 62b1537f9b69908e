// The IAM client as awsmfa uses it (the MFA devices, the access keys of a rotation): a bundle of its own
// (dist/iam.cjs), as src/bundles/sts.ts is.
export {CreateAccessKeyCommand, DeleteAccessKeyCommand, IAMClient, ListAccessKeysCommand, ListMFADevicesCommand, UpdateAccessKeyCommand} from '@aws-sdk/client-iam';
