// The Source of each scheme (one file each: <scheme>_source.cc), made once per run by Sources.
#pragma once

#include <memory>

#include "verifier/sources/source.h"

namespace aegis::verifier {

std::unique_ptr<Source> MakeFileSource(const SourceSettings& settings);   // file:///…, paths
std::unique_ptr<Source> MakeHttpSource(const SourceSettings& settings);   // https://, http://
std::unique_ptr<Source> MakeS3Source(const SourceSettings& settings);     // s3://
std::unique_ptr<Source> MakeGcsSource(const SourceSettings& settings);    // gs://
std::unique_ptr<Source> MakeAzureSource(const SourceSettings& settings);  // https://ACCOUNT.blob.core.windows.net/…
std::unique_ptr<Source> MakeHfSource(const SourceSettings& settings);     // hf://
std::unique_ptr<Source> MakeOciSource(const SourceSettings& settings);    // oci://

// A client of the registry `loc` names, with the credential resolved for it (none when anonymous);
// blobs are fetched each in one request (a tree fetches `parallel` of them at once).
Expected<RegistryClient> MakeRegistryClient(const SourceSettings& settings, const Location& loc);

}  // namespace aegis::verifier
