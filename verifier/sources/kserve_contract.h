// KServe's storage-initializer contract: the variables and mounts KServe gives the container it
// injects (pkg/webhook/admission/pod/storage_initializer_injector.go, pkg/credentials), read the
// way KServe's own initializer reads them (kserve_storage 0.21.0, kserve_storage.py). Each one
// here changes only where and how verify-and-fetch downloads, never what it trusts.
#pragma once

#include <string>
#include <vector>

#include "platform/env.h"
#include "util/expected.h"

namespace aegis::verifier {

using platform::Env;

// STORAGE_CONFIG (the `storage-config` secret's entry for `storage.key`, or the secret named
// by the serving.kserve.io/storageSecretName annotation) with STORAGE_OVERRIDE_CONFIG over it:
// for `"type": "s3"` its endpoint_url, access_key_id, secret_access_key, region, ca_bundle,
// verify_ssl and anonymous answer for AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION, AWS_CA_BUNDLE, S3_VERIFY_SSL and
// awsAnonymousCredential (Storage._update_with_storage_spec). Other types (hdfs) are not
// sources verify-and-fetch serves and change nothing. Malformed JSON is an error naming the
// variable, never its content (it holds a secret key).
Expected<Env> WithStorageConfig(Env base);

// The secret values WithStorageConfig may answer with (to mask in every log line).
std::vector<std::string> StorageConfigSecrets(const Env& env);

// KServe's global CA bundle: with CA_BUNDLE_CONFIGMAP_NAME set, the PEM text of
// <CA_BUNDLE_VOLUME_MOUNT_POINT, default /etc/ssl/custom-certs>/cabundle.crt, added to the
// system's CAs for every download (Storage._configure_global_ca_bundle). "" when unset; an
// error naming the file when it is missing or holds no certificate.
Expected<std::string> GlobalCaBundle(const Env& env);

// The headers KServe's initializer sends to an http(s):// host: the JSON object in the variable
// `<host>-headers` (from a secret's `https-host`/`headers`), as "Name: value" lines. None when
// unset; an error naming the variable (not the values) when it is not an object of strings.
Expected<std::vector<std::string>> HostHeaders(const std::string& uri, const Env& env);

}  // namespace aegis::verifier
