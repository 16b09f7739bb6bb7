#include "report/report_stream.h"

namespace aegis {

void ReportStream::Flush() {
  if (status_ && !buf_.empty()) status_ = sink_(buf_);
  buf_.clear();
}

Status ReportStream::Finish() {
  Flush();
  return status_;
}

ReportStream::Sink StringSink(std::string& out) {
  return [&out](std::string_view piece) -> Status {
    out.append(piece);
    return Ok{};
  };
}

}  // namespace aegis
