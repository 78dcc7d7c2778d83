// COPY … FROM STDIN (FORMAT binary): rows encoded the way the server stores them, so the server
// parses no text (a timestamp read from text was a tenth of a bulk load's time on the server).
// A bulk writer uses it when it knows every column's type; otherwise it writes text.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/result.h"
#include "store/database.h"

namespace orchard::store::postgres {

enum class CopyType { kInt8, kInt4, kBool, kText, kDate, kTimestamp };

// The binary form for a column of PostgreSQL type `oid`, if there is one here.
std::optional<CopyType> CopyTypeOf(int64_t oid);

// The signature, flags and header extension that open the data.
void AppendBinaryCopyHeader(std::string& out);
// The mark that ends it.
void AppendBinaryCopyTrailer(std::string& out);
// One row (values as the stores bind them: integers, text, dates and timestamps as text in
// Date/Timestamp::ToString's form). Fails naming the column whose value does not fit its type;
// `out` is then left with part of the row, and the copy must be abandoned.
Status AppendBinaryCopyRow(std::span<const SqlValue> row, std::span<const CopyType> types,
                           std::string& out);

}  // namespace orchard::store::postgres
