#include "service/book_scope.h"

namespace orchard::service {

Result<Book> ParseBook(std::string_view text, std::string_view field) {
  if (text == "mine") return Book::kMine;
  if (text == "team") return Book::kTeam;
  if (text == "all") return Book::kAll;
  return FailField(std::string(field),
                   "must be mine, team or all; got \"" + std::string(text) + "\"");
}

std::string_view ToString(Book book) {
  switch (book) {
    case Book::kMine:
      return "mine";
    case Book::kTeam:
      return "team";
    case Book::kAll:
      return "all";
  }
  return "all";
}

Book DefaultBook(Role role) {
  switch (role) {
    case Role::kAm:
    case Role::kCsm:
      return Book::kMine;
    case Role::kManager:
      return Book::kTeam;
    default:
      return Book::kAll;
  }
}

std::string BookClause(Book book, const Actor& actor, std::string_view accounts_alias,
                       std::vector<store::SqlValue>& params) {
  if (book == Book::kAll) return "";
  const std::string a(accounts_alias);
  const int64_t me = actor.user.value;
  std::string clause = " AND (" + a + ".owner_id = ? OR " + a + ".csm_id = ?";
  params.emplace_back(me);
  params.emplace_back(me);
  if (book == Book::kTeam) {
    clause += " OR " + a + ".owner_id IN (SELECT id FROM users WHERE manager_id = ?) OR " + a +
              ".csm_id IN (SELECT id FROM users WHERE manager_id = ?)";
    params.emplace_back(me);
    params.emplace_back(me);
  }
  return clause + ")";
}

}  // namespace orchard::service
