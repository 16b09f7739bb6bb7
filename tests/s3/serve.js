// Starts the signature-checking S3 server for the tests: node serve.js DIRECTORY
// Prints "READY <port>" once it listens on 127.0.0.1 (or $AEGIS_S3_ADDRESS; an ephemeral port); bucket "models";
// besides s3rver's S3RVER/S3RVER, the key pair AKIAAEGISTEST / aegis-test-secret is valid. With
// $AEGIS_S3_TLS_CERT and $AEGIS_S3_TLS_KEY (PEM files) it serves https (s3rver's key/cert options).
const fs = require('node:fs');
const S3rver = require('@20minutes/s3rver');
const { DUMMY_ACCOUNT } = require('@20minutes/s3rver/lib/models/account');

DUMMY_ACCOUNT.createKeyPair('AKIAAEGISTEST', 'aegis-test-secret');
const server = new S3rver({
  address: process.env.AEGIS_S3_ADDRESS || '127.0.0.1',
  port: 0,
  directory: process.argv[2],
  silent: true,
  vhostBuckets: false,
  configureBuckets: [{ name: 'models' }],
  ...(process.env.AEGIS_S3_TLS_CERT
    ? { cert: fs.readFileSync(process.env.AEGIS_S3_TLS_CERT), key: fs.readFileSync(process.env.AEGIS_S3_TLS_KEY) }
    : {}),
});
server.run().then(({ port }) => process.stdout.write(`READY ${port}\n`));
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
