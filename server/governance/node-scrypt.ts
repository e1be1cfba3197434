/** scrypt through node:crypto (OpenSSL): the same RFC 7914 function as @noble/hashes', several times faster. */
import { scrypt } from "node:crypto";
import type { ScryptFunction } from "../../lib/governance/key-file";

export const nodeScrypt: ScryptFunction = (password, salt, { N, r, p, dkLen }) =>
  new Promise((resolve, reject) => {
    // OpenSSL needs maxmem above 128·N·r (plus p blocks); allow twice that.
    scrypt(password, salt, dkLen, { N, r, p, maxmem: 256 * N * r * p + 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(new Uint8Array(key))));
  });
