// age-encryption as the file store uses it (src/keys/age-file.ts): a bundle of its own (dist/age.cjs), as
// src/bundles/sts.ts is. The package is ESM only; the bundle is CommonJS, loaded with require on every Node.
export {Decrypter, Encrypter, Stanza} from 'age-encryption';
export type {Identity, Recipient} from 'age-encryption';
