#include "support/archives.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/sysmacros.h>

// Archive entries below list only the fields that matter; the rest take their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace aegis::testing {

namespace {
std::string ErrorOf(struct archive* a) {
  const char* e = archive_error_string(a);  // null when libarchive set no message
  return e != nullptr ? e : "libarchive error";
}
}  // namespace

std::string WriteArchive(const std::string& file, ArchiveFormat format, const std::vector<Entry>& entries) {
  struct archive* a = archive_write_new();
  if (format == ArchiveFormat::kZip) {
    archive_write_set_format_zip(a);
  } else {
    archive_write_set_format_pax_restricted(a);
    if (format == ArchiveFormat::kTarGz) archive_write_add_filter_gzip(a);
    if (format == ArchiveFormat::kTarZst) archive_write_add_filter_zstd(a);
  }
  std::string error;
  if (archive_write_open_filename(a, file.c_str()) != ARCHIVE_OK) error = ErrorOf(a);
  for (const Entry& x : entries) {
    if (!error.empty()) break;
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, x.path.c_str());
    archive_entry_set_filetype(e, x.type);
    archive_entry_set_perm(e, x.perm);
    archive_entry_set_size(e, static_cast<la_int64_t>(x.type == AE_IFREG && x.hardlink.empty() ? x.data.size() : 0));
    if (!x.link.empty()) archive_entry_set_symlink(e, x.link.c_str());
    if (!x.hardlink.empty()) archive_entry_set_hardlink(e, x.hardlink.c_str());
    if (x.type == AE_IFCHR || x.type == AE_IFBLK) archive_entry_set_rdev(e, makedev(1, 3));
    if (archive_write_header(a, e) != ARCHIVE_OK) {
      error = x.path + ": " + ErrorOf(a);
    } else if (!x.data.empty() && x.hardlink.empty() &&
               archive_write_data(a, x.data.data(), x.data.size()) != static_cast<la_ssize_t>(x.data.size())) {
      error = x.path + ": short write";
    }
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return error;
}

const std::vector<HostileArchive>& HostileArchives() {
  static const std::vector<HostileArchive> kCases = {
      {"dotdot", ArchiveFormat::kTar, {{"../evil", AE_IFREG, 0644, "x"}}, "`..` in path"},
      {"nested_dotdot", ArchiveFormat::kTar, {{"a/../../evil", AE_IFREG, 0644, "x"}}, "`..` in path"},
      {"absolute", ArchiveFormat::kTar, {{"/tmp/aegis-evil", AE_IFREG, 0644, "x"}}, "absolute path"},
      {"symlink_escape", ArchiveFormat::kTar, {{"link", AE_IFLNK, 0777, "", "../../etc"}}, "leaves the tree"},
      {"symlink_deep_escape", ArchiveFormat::kTar, {{"a/b/link", AE_IFLNK, 0777, "", "../../../x"}}, "leaves the tree"},
      // Each link is inside lexically; through one another they reach the host's /etc/passwd.
      {"symlink_chain_escape", ArchiveFormat::kTar,
       {{"d/", AE_IFDIR}, {"d/up", AE_IFLNK, 0777, "", ".."}, {"esc", AE_IFLNK, 0777, "", "d/up/d/up/d/up/../../../../../../etc/passwd"}},
       "through another symlink"},
      {"symlink_chain_escape_reversed", ArchiveFormat::kTar,
       {{"esc", AE_IFLNK, 0777, "", "d/up/d/up/../../x"}, {"d/", AE_IFDIR}, {"d/up", AE_IFLNK, 0777, "", ".."}},
       "through another symlink"},
      {"component_over_255_bytes", ArchiveFormat::kTar, {{"d/" + std::string(300, 'n'), AE_IFREG, 0644, "x"}},
       "longer than 255 bytes"},
      {"symlink_absolute", ArchiveFormat::kTar, {{"link", AE_IFLNK, 0777, "", "/etc/passwd"}}, "absolute path /etc/passwd"},
      {"write_through_inner_symlink", ArchiveFormat::kTar,
       {{"d/", AE_IFDIR}, {"s", AE_IFLNK, 0777, "", "d"}, {"s/x", AE_IFREG, 0644, "x"}}, "passes through the symlink s"},
      {"write_through_symlink_twice", ArchiveFormat::kTar,
       {{"s", AE_IFLNK, 0777, "", "."}, {"s/s/x", AE_IFREG, 0644, "x"}}, "passes through the symlink s"},
      {"hardlink_escape", ArchiveFormat::kTar, {{"h", AE_IFREG, 0644, "", "", "../../etc/passwd"}}, "hardlink target `..`"},
      {"hardlink_absolute", ArchiveFormat::kTar, {{"h", AE_IFREG, 0644, "", "", "/etc/passwd"}}, "hardlink target absolute"},
      {"hardlink_to_symlink", ArchiveFormat::kTar,
       {{"s", AE_IFLNK, 0777, "", "x"}, {"h", AE_IFREG, 0644, "", "", "s"}}, "not a regular file"},
      {"hardlink_to_missing", ArchiveFormat::kTar, {{"h", AE_IFREG, 0644, "", "", "nowhere"}}, "not a regular file"},
      {"hardlink_to_directory", ArchiveFormat::kTar, {{"d/", AE_IFDIR}, {"h", AE_IFREG, 0644, "", "", "d"}}, "not a regular file"},
      {"char_device", ArchiveFormat::kTar, {{"null", AE_IFCHR, 0666}}, "device, FIFO or socket"},
      {"block_device", ArchiveFormat::kTar, {{"sda", AE_IFBLK, 0660}}, "device, FIFO or socket"},
      {"fifo", ArchiveFormat::kTar, {{"pipe", AE_IFIFO, 0644}}, "device, FIFO or socket"},
      {"setuid", ArchiveFormat::kTar, {{"su", AE_IFREG, 04755, "x"}}, "setuid/setgid"},
      {"setgid", ArchiveFormat::kTar, {{"sg", AE_IFREG, 02755, "x"}}, "setuid/setgid"},
      {"duplicate_file", ArchiveFormat::kTar, {{"f", AE_IFREG, 0644, "a"}, {"f", AE_IFREG, 0644, "b"}}, "duplicate path"},
      {"file_replaces_directory", ArchiveFormat::kTar, {{"a/", AE_IFDIR}, {"a/x", AE_IFREG, 0644, "x"}, {"a", AE_IFREG, 0644, "y"}},
       "duplicate path"},
      {"directory_under_file", ArchiveFormat::kTar, {{"a", AE_IFREG, 0644, "x"}, {"a/b", AE_IFREG, 0644, "y"}},
       "a is a file, not a directory"},
      {"symlink_replaces_file", ArchiveFormat::kTar, {{"f", AE_IFREG, 0644, "x"}, {"f", AE_IFLNK, 0777, "", "g"}}, "duplicate path"},
      {"overlong_name", ArchiveFormat::kTar, {{std::string(1500, 'n'), AE_IFREG, 0644, "x"}}, "name longer than"},
      {"zip_dotdot", ArchiveFormat::kZip, {{"../evil", AE_IFREG, 0644, "x"}}, "`..` in path"},
      {"zip_absolute", ArchiveFormat::kZip, {{"/tmp/aegis-evil", AE_IFREG, 0644, "x"}}, "absolute path"},
      {"zip_symlink_escape", ArchiveFormat::kZip, {{"link", AE_IFLNK, 0777, "", "../../../etc/passwd"}}, "leaves the tree"},
      {"zip_setuid", ArchiveFormat::kZip, {{"su", AE_IFREG, 04755, "x"}}, "setuid/setgid"},
      {"targz_dotdot", ArchiveFormat::kTarGz, {{"ok", AE_IFREG, 0644, "x"}, {"../evil", AE_IFREG, 0644, "x"}}, "`..` in path"},
      {"tarzst_symlink_escape", ArchiveFormat::kTarZst, {{"l", AE_IFLNK, 0777, "", "../x"}}, "leaves the tree"},
  };
  return kCases;
}

}  // namespace aegis::testing
