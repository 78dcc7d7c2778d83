// Text helpers shared by the storage adapters and the in-memory book.
#pragma once

#include <string>
#include <string_view>

namespace orchard {

// LOWER as PostgreSQL computes it in a UTF-8 database: every letter, not only ASCII. The case
// mapping is glibc's (towlower_l in C.UTF-8); bytes that are not valid UTF-8 pass through
// unchanged. SQLite's lower() is replaced by this, and the in-memory book folds names and
// searches with it, so a name search finds the same rows wherever it is answered.
std::string FoldCase(std::string_view text);

}  // namespace orchard
