#include "verifier/common/crypto.h"

#include <openssl/evp.h>

#include <cstdio>
#include <vector>

#include <fmt/format.h>

namespace aegis::verifier {
namespace {

using MdCtx = std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)>;

MdCtx NewCtx(const EVP_MD* md) {
  MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), md, nullptr);
  return ctx;
}

std::string Finish(EVP_MD_CTX* ctx) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx, out, &n);
  return std::string(reinterpret_cast<char*>(out), n);
}

}  // namespace

struct MultiHasher::Impl {
  explicit Impl(DigestSet want)
      : s256(NewCtx(EVP_sha256())),
        s384(want.sha384 ? NewCtx(EVP_sha384()) : MdCtx(nullptr, EVP_MD_CTX_free)),
        s512(want.sha512 ? NewCtx(EVP_sha512()) : MdCtx(nullptr, EVP_MD_CTX_free)) {}
  MdCtx s256, s384, s512;
};

MultiHasher::MultiHasher(DigestSet want) : want_(want), impl_(std::make_unique<Impl>(want)) {}
MultiHasher::~MultiHasher() = default;

void MultiHasher::Update(std::string_view data) {
  for (EVP_MD_CTX* c : {impl_->s256.get(), impl_->s384.get(), impl_->s512.get()}) {
    if (c != nullptr) EVP_DigestUpdate(c, data.data(), data.size());
  }
}

void MultiHasher::Reset() { impl_ = std::make_unique<Impl>(want_); }

Digests MultiHasher::Final() {
  auto fin = [](EVP_MD_CTX* c) { return c != nullptr ? Finish(c) : std::string(); };
  return {fin(impl_->s256.get()), fin(impl_->s384.get()), fin(impl_->s512.get())};
}

std::string Sha256(std::string_view data) {
  MdCtx ctx = NewCtx(EVP_sha256());
  EVP_DigestUpdate(ctx.get(), data.data(), data.size());
  return Finish(ctx.get());
}

Expected<std::string> Sha256File(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Error{ErrorKind::kIo, path, {}, "cannot open"};
  MdCtx ctx = NewCtx(EVP_sha256());
  char buf[1 << 16];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) EVP_DigestUpdate(ctx.get(), buf, n);
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return Error{ErrorKind::kIo, path, {}, "read error"};
  return Finish(ctx.get());
}

Expected<Digests> DigestFile(const std::string& path, DigestSet want, const std::function<void(uint64_t)>& on_bytes) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Error{ErrorKind::kIo, path, {}, "cannot open"};
  MultiHasher h(want);
  std::vector<char> buf(1 << 20);
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
    h.Update(std::string_view(buf.data(), n));
    if (on_bytes) on_bytes(n);
  }
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return Error{ErrorKind::kIo, path, {}, "read error"};
  return h.Final();
}

}  // namespace aegis::verifier
