// The Importer's reading half: each row matched to a stored one, its links resolved, its fields
// applied and checked, and the row put in the batch as new, changed or unchanged; the links that
// point forward, set when a file ends; and the end of the import.
#include <algorithm>
#include <charconv>

#include "core/text.h"
#include "domain/limits.h"
#include "domain/rules.h"
#include "domain/schema.h"
#include "ingest/import.h"
#include "ingest/import_batch.h"
#include "ingest/text.h"
#include "service/entity_service.h"
#include "store/store.h"

namespace orchard::ingest {

using namespace detail;  // the batch and the keys (import_batch.h)

namespace {

Importer::Outcome NoIssue() { return std::optional<Importer::RowIssue>(); }

}  // namespace

Result<int64_t> Importer::NextId(ImportObject object) {
  IdStock& stock = ids_[static_cast<size_t>(object)];
  if (stock.current.count == 0) {
    std::unique_lock lock(ids_mu_);
    stock.used = true;
    if (stock.ahead.empty()) {
      lock.unlock();
      // Nothing reserved yet (or the writer has not caught up): reserve here, once the
      // connection is free.
      ORCHARD_CHECK(WaitForWriter());
      ORCHARD_CHECK(ReserveAhead(object));
      lock.lock();
    }
    stock.current = stock.ahead.front();
    stock.ahead.erase(stock.ahead.begin());
    stock.reserved_ahead -= stock.current.count;
  }
  --stock.current.count;
  return stock.current.first++;
}

// Two batches' worth ahead: the reader fills the next batch while the writer writes one.
Status Importer::ReserveAhead(ImportObject object) {
  const int64_t block = std::max(options_.batch_rows, 1);
  {
    std::lock_guard lock(ids_mu_);
    if (ids_[static_cast<size_t>(object)].reserved_ahead >= block) return Ok();
  }
  // A first load that set something aside holds its table until it commits: no one else takes
  // its ids meanwhile, so it takes as many as the load looks to bring (expected_rows_, up to 64
  // batches' worth), else four times as many each time, up to 16 batches' worth (its COPY ends
  // for each reservation).
  const bool held = first_load_ && !put_back_.empty() && object == object_;
  int64_t count = 2 * block;
  if (held) {
    const int64_t most = std::max(16 * block, std::min(expected_rows_ + 2 * block, 64 * block));
    held_reservation_ =
        std::min(std::max({4 * held_reservation_, 2 * block, expected_rows_}), most);
    count = held_reservation_;
  }
  ORCHARD_CHECK(EndOpenCopy());
  ORCHARD_TRY(auto ranges, held ? db_.ReserveIdsOfHeldTable(ObjectName(object), count)
                                : db_.ReserveIds(ObjectName(object), count));
  std::lock_guard lock(ids_mu_);
  IdStock& stock = ids_[static_cast<size_t>(object)];
  for (const store::IdRange& r : ranges) {
    stock.ahead.push_back(r);
    stock.reserved_ahead += r.count;
  }
  return Ok();
}

template <class T>
void Importer::Remember(ImportObject object, const ImportRow& row, const T& fresh) {
  int64_t id = fresh.id.value;
  if (!row.alias.empty()) aliases_[std::string(ObjectName(object)) + ":" + row.alias] = id;
  for (KeySystem system :
       {KeySystem::kSalesforce, KeySystem::kHubspot, KeySystem::kName, KeySystem::kExternal}) {
    if (system == KeySystem::kExternal && options_.external_source.empty()) continue;
    if (!LoadedOf(object, system)) continue;  // loaded later, it takes the batch's rows then
    KeyIndex& index = IndexOf(object, system);
    if (system == KeySystem::kSalesforce) {  // (the key as it is, without a copy)
      if (fresh.salesforce_id && !fresh.salesforce_id->empty()) {
        index.emplace(*fresh.salesforce_id, id);
      }
      continue;
    }
    std::string key = KeyOf(fresh, system);
    if (!key.empty()) index.emplace(key, id);
  }
}

template <>
Importer::Outcome Importer::Apply(Account& a, ImportRow& row, bool is_new);
template <>
Importer::Outcome Importer::Apply(Contact& c, ImportRow& row, bool is_new);
template <>
Importer::Outcome Importer::Apply(Opportunity& o, ImportRow& row, bool is_new);
template <>
Importer::Outcome Importer::Apply(ContractLine& l, ImportRow& row, bool is_new);

Importer::Outcome Importer::Process(ImportRow& row) {
  auto issue = [](Field f, std::string reason) -> Outcome {
    return std::optional<RowIssue>(RowIssue{f, std::move(reason)});
  };
  deferred_link_.reset();
  row_account_ = 0;
  bool keyed = row.key && !row.key->key.empty();
  if (object_ == ImportObject::kAccounts) {
    std::optional<int64_t> found;
    if (keyed) {
      ORCHARD_TRY(found, Find(object_, *row.key, Lookup::kHold));
    } else if (row.Has(Field::kName) && !row.Get(Field::kName).empty()) {
      ORCHARD_TRY(found, Find(object_, Ref{KeySystem::kName, row.Get(Field::kName)}));
    } else {
      return issue(Field::kKey, "the row has neither an id nor a name to match it by");
    }
    return Upsert<Account>(row, found);
  }
  if (object_ == ImportObject::kContractLines && row.opportunity) {
    // An opportunity's line item: booked ARR only when the opportunity was won.
    ORCHARD_TRY(auto opp_id, Find(ImportObject::kOpportunities, *row.opportunity));
    if (!opp_id) {
      return issue(Field::kOpportunity,
                   "opportunity " + row.opportunity->key + " is not in Orchard: import it first");
    }
    Opportunity opp;
    if (auto read = line_opportunities_.find(*opp_id); read != line_opportunities_.end()) {
      opp = read->second;
    } else {
      ORCHARD_CHECK(WaitForWriter());
      store::Store store(db_);
      ORCHARD_TRY(opp, store.Get<Opportunity>(OpportunityId(*opp_id)));
    }
    if (opp.stage != OpportunityStage::kClosedWon) {
      Skip();
      Warn("line items of opportunities not closed won are pipeline, not ARR: skipped");
      return NoIssue();
    }
    row_account_ = opp.account_id.value;
    // Booked from the close date for a year, unless the line says otherwise.
    if (!row.Has(Field::kStartDate) && opp.close_date) {
      row.Set(Field::kStartDate, opp.close_date->ToString());
    }
    if (!row.Has(Field::kEndDate)) {
      if (auto start = Date::Parse(row.Get(Field::kStartDate))) {
        row.Set(Field::kEndDate, start->AddYears(1).AddDays(-1).ToString());
      }
    }
  } else {
    ORCHARD_TRY(auto account, ResolveAccount(row));
    if (!account && (!row.account || row.account->key.empty())) {
      if (!options_.unassigned_account) {
        // A mapped CSV may name a holding account instead: say so where it can.
        std::string hint = options_.source == "csv"
                               ? " (a mapping's \"unassigned_account\" keeps them under a "
                                 "holding account)"
                               : "";
        return issue(Field::kAccount, std::string("no account: Orchard keeps ") +
                                          std::string(ObjectName(object_)) + " under accounts" +
                                          hint);
      }
      ORCHARD_TRY(int64_t holding, UnassignedAccount());
      account = holding;
      ++summary_.unassigned;
      Warn("no account: kept under \"" + *options_.unassigned_account + "\"");
    }
    if (!account) {
      return issue(Field::kAccount, "account " + row.account->key +
                                        " is not in Orchard: import it first, or fix the link");
    }
    row_account_ = *account;
  }
  std::string acct = std::to_string(row_account_);
  std::string natural;
  switch (object_) {
    case ImportObject::kContacts:
      natural = NaturalContactKey(acct, row.Get(Field::kEmail), row.Get(Field::kFirstName),
                                  row.Get(Field::kLastName));
      break;
    case ImportObject::kOpportunities:
      natural = acct + ":" + Lower(row.Get(Field::kName));
      break;
    case ImportObject::kContractLines:
      natural.clear();  // by product and start, once the product is known (see Apply)
      break;
    case ImportObject::kAccounts:
      break;
  }
  std::optional<int64_t> found;
  if (keyed) {
    ORCHARD_TRY(found, Find(object_, *row.key, Lookup::kHold));
  } else if (object_ == ImportObject::kContractLines) {
    ORCHARD_TRY(auto product, FindProduct(row));
    natural = acct + ":" + std::to_string(product->value) + ":" + row.Get(Field::kStartDate);
    ORCHARD_TRY(found, Find(object_, Ref{KeySystem::kName, natural}));
  } else {
    ORCHARD_TRY(found, Find(object_, Ref{KeySystem::kName, natural}));
  }
  switch (object_) {
    case ImportObject::kContacts:
      return Upsert<Contact>(row, found);
    case ImportObject::kOpportunities:
      return Upsert<Opportunity>(row, found);
    default:
      return Upsert<ContractLine>(row, found);
  }
}

namespace {

// The limits every write keeps (domain/limits.h: text, money, required dates), on a row as the
// file left it; a failure names the import field its column came from (the key's for the
// external ids).
template <class T>
Importer::Outcome CheckLimits(const T& entity) {
  auto checked = ValidateFields(entity);
  if (checked) return std::optional<Importer::RowIssue>();
  const Error& e = checked.error();
  std::string column = e.fields.empty() ? "" : e.fields.front().field;
  std::string_view name = column;
  if (name.ends_with("_cents")) name.remove_suffix(6);
  Field f = FieldOf(ObjectOf<T>(), name).value_or(Field::kKey);
  return std::optional<Importer::RowIssue>(Importer::RowIssue{f, e.message});
}

}  // namespace

template <class T>
Importer::Outcome Importer::Upsert(ImportRow& row, std::optional<int64_t> found) {
  constexpr ImportObject kObject = ObjectOf<T>();
  std::string_view table = EntitySchema<T>::kTable;
  auto account_of = [](const T& r) {
    if constexpr (std::is_same_v<T, Account>) {
      return r.id.value;
    } else {
      return r.account_id.value;
    }
  };
  Part<T>& part = batch_->part<T>();
  auto defer_link = [&](int64_t id) {
    if (deferred_link_) {
      (std::is_same_v<T, Account> ? pending_parents_ : pending_managers_)
          .emplace_back(id, *deferred_link_);
    }
  };
  if (found) {
    if (!row.alias.empty()) aliases_[std::string(table) + ":" + row.alias] = *found;
    // A row met before in this batch, not written yet: change it where it waits.
    T* waiting = nullptr;
    if (auto at = part.InsertedAt(*found)) {
      waiting = &part.inserts[*at];
    } else if (auto up = part.updated.find(*found); up != part.updated.end()) {
      waiting = &part.updates[up->second].first;
    }
    if (waiting) {
      T after = *waiting;
      ORCHARD_TRY(auto issue, Apply(after, row, false));
      if (issue) return issue;
      ORCHARD_TRY(issue, CheckLimits(after));
      if (issue) return issue;
      defer_link(*found);
      if (store::ToSqlValues(after) == store::ToSqlValues(*waiting)) {
        ++current().unchanged;
      } else {
        *waiting = std::move(after);
        ++current().updated;
      }
      return NoIssue();
    }
    T before;
    if (auto kept = part.matched.find(*found); kept != part.matched.end()) {
      before = kept->second;
    } else {
      ORCHARD_CHECK(ReadyToRead(table));
      store::Store store(db_);
      ORCHARD_TRY(before, store.Get<T>(decltype(T::id)(*found)));
    }
    T after = before;
    ORCHARD_TRY(auto issue, Apply(after, row, false));
    if (issue) return issue;
    ORCHARD_TRY(issue, CheckLimits(after));
    if (issue) return issue;
    defer_link(*found);
    if (store::ToSqlValues(after) == store::ToSqlValues(before)) {
      ++current().unchanged;
      return NoIssue();
    }
    if constexpr (std::is_same_v<T, Account>) {
      after.updated_at = started_;
      batch_->owners_before.emplace(*found, before.owner_id);
    }
    int64_t version = 0;
    if constexpr (Versioned<T>) version = before.version;
    ++current().updated;
    batch_->changes.push_back({table, *found, account_of(after)});
    // A row moved to another account: the old one forgets it too.
    if (account_of(after) != account_of(before)) {
      batch_->changes.push_back({table, *found, account_of(before)});
    }
    part.updated.emplace(*found, part.updates.size());
    part.updates.emplace_back(std::move(after), version);
    return NoIssue();
  }
  T fresh{};
  if constexpr (std::is_same_v<T, Account>) {
    fresh.created_at = started_;
    fresh.updated_at = started_;
  }
  if constexpr (std::is_same_v<T, Opportunity>) {
    // Without a create date of its own: the close date, unless that is after the file's date.
    auto close = Date::Parse(row.Get(Field::kCloseDate));
    fresh.created_on = close && *close < file_date_ ? *close : file_date_;
  }
  ORCHARD_TRY(auto issue, Apply(fresh, row, true));
  if (issue) return issue;
  ORCHARD_TRY(issue, CheckLimits(fresh));
  if (issue) return issue;
  ORCHARD_TRY(int64_t id, NextId(kObject));
  fresh.id = decltype(T::id)(id);
  defer_link(id);
  Remember(kObject, row, fresh);
  if (part.inserts.empty()) part.inserts.reserve(static_cast<size_t>(options_.batch_rows));
  part.inserts.push_back(std::move(fresh));
  ++current().inserted;
  return NoIssue();
}

namespace {

using RowIssueOpt = std::optional<Importer::RowIssue>;

RowIssueOpt IssueOf(Field f, std::string reason) {
  return Importer::RowIssue{f, std::move(reason)};
}

// The canonical text of a field into its typed member: a wrong value is the row's issue.
RowIssueOpt SetInt(const ImportRow& row, Field f, int64_t lo, int64_t hi, int64_t& out) {
  if (!row.Has(f)) return std::nullopt;
  auto v = ToInt(row.Get(f));
  if (!v || *v < lo || *v > hi) {
    return IssueOf(f, std::string(FieldName(f)) + " must be a whole number from " +
                          std::to_string(lo) + " to " + std::to_string(hi) + "; got \"" +
                          row.Get(f) + "\"");
  }
  out = *v;
  return std::nullopt;
}

RowIssueOpt SetMoney(const ImportRow& row, Field f, Money& out) {
  int64_t cents = out.cents();
  // The bound every write keeps (core/money.h).
  if (auto issue = SetInt(row, f, -kMaxMoneyCents, kMaxMoneyCents, cents)) return issue;
  out = Money::FromCents(cents);
  return std::nullopt;
}

RowIssueOpt SetDate(const ImportRow& row, Field f, Date& out) {
  if (!row.Has(f)) return std::nullopt;
  auto d = Date::Parse(row.Get(f));
  if (!d) return IssueOf(f, std::string(FieldName(f)) + ": " + d.error().message);
  out = *d;
  return std::nullopt;
}

RowIssueOpt SetOptionalDate(const ImportRow& row, Field f, std::optional<Date>& out) {
  if (!row.Has(f)) return std::nullopt;
  if (row.Get(f).empty()) {
    out.reset();
    return std::nullopt;
  }
  Date d;
  if (auto issue = SetDate(row, f, d)) return issue;
  out = d;
  return std::nullopt;
}

template <class E>
RowIssueOpt SetEnum(const ImportRow& row, Field f, E& out) {
  if (!row.Has(f)) return std::nullopt;
  auto e = ParseEnum<E>(row.Get(f));
  if (!e) return IssueOf(f, e.error().message);
  out = *e;
  return std::nullopt;
}

template <class E>
RowIssueOpt SetOptionalEnum(const ImportRow& row, Field f, std::optional<E>& out) {
  if (!row.Has(f)) return std::nullopt;
  if (row.Get(f).empty()) {
    out.reset();
    return std::nullopt;
  }
  E e{};
  if (auto issue = SetEnum(row, f, e)) return issue;
  out = e;
  return std::nullopt;
}

void SetText(ImportRow& row, Field f, std::string& out) {
  if (row.Has(f)) out = row.Take(f);
}

// Moves the row's key into the entity (the row's last use of it); an external_id with the
// import's source name.
template <class T>
void SetKey(ImportRow& row, bool is_new, std::optional<std::string>* salesforce,
            std::optional<std::string>* hubspot, T& entity, const std::string& source) {
  if (!row.key || row.key->key.empty()) return;
  if (row.key->system == KeySystem::kExternal) {
    entity.external_source = source;
    entity.external_id = std::move(row.key->key);
    return;
  }
  if (row.key->system == KeySystem::kSalesforce && salesforce) {
    // A row the Salesforce export named by Orchard's id keeps having none.
    if (!is_new && row.key->key.starts_with("orchard-") && !*salesforce) return;
    *salesforce = std::move(row.key->key);
  } else if (row.key->system == KeySystem::kHubspot && hubspot) {
    *hubspot = std::move(row.key->key);
  }
}

}  // namespace

template <>
Importer::Outcome Importer::Apply(Account& a, ImportRow& row, bool is_new) {
  if (row.Has(Field::kName)) {
    if (row.Get(Field::kName).empty()) return IssueOf(Field::kName, "an account needs a name");
    a.name = row.Take(Field::kName);
  }
  if (is_new && a.name.empty()) return IssueOf(Field::kName, "an account needs a name");
  SetText(row, Field::kIndustry, a.industry);
  SetText(row, Field::kRegion, a.region);
  if (auto i = SetInt(row, Field::kEmployees, 0, int64_t{1} << 40, a.employees)) return i;
  if (auto i = SetEnum(row, Field::kLifecycle, a.lifecycle_stage)) return i;
  if (row.Has(Field::kStrategic)) {
    std::string v = Lower(row.Get(Field::kStrategic));
    if (v == "true" || v == "1" || v == "yes") {
      a.strategic = true;
    } else if (v == "false" || v == "0" || v == "no" || v.empty()) {
      a.strategic = false;
    } else {
      return IssueOf(Field::kStrategic,
                     "strategic must be true or false; got \"" + row.Get(Field::kStrategic) + "\"");
    }
  }
  if (auto i = SetOptionalEnum(row, Field::kTier, a.tier_override)) return i;
  if (row.Has(Field::kTierReason)) {
    std::string reason = row.Take(Field::kTierReason);
    a.tier_override_reason = reason.empty() ? std::nullopt : std::optional(std::move(reason));
  }
  if (auto i = SetOptionalEnum(row, Field::kPotential, a.growth_potential)) return i;
  ORCHARD_CHECK(ApplyOwner(row, a.owner_id));
  SetKey(row, is_new, &a.salesforce_id, &a.hubspot_id, a, options_.external_source);
  if (row.parent && !row.parent->key.empty()) {
    ORCHARD_TRY(auto parent, Find(ImportObject::kAccounts, *row.parent));
    if (parent && *parent == a.id.value) {
      return IssueOf(Field::kParent, "an account cannot be its own parent");
    }
    if (parent && a.id.valid()) {
      ORCHARD_TRY(bool cycle, ClosesCycle(a.id.value, *parent));
      if (cycle) {
        return IssueOf(Field::kParent, "parent " + row.parent->key + " is below account " +
                                           std::to_string(a.id.value) +
                                           ": the link would close a cycle");
      }
    }
    if (parent) {
      a.parent_id = AccountId(*parent);
    } else {
      deferred_link_ = *row.parent;
    }
  }
  return NoIssue();
}

template <>
Importer::Outcome Importer::Apply(Contact& c, ImportRow& row, bool is_new) {
  c.account_id = AccountId(row_account_);
  SetText(row, Field::kFirstName, c.first_name);
  SetText(row, Field::kLastName, c.last_name);
  SetText(row, Field::kEmail, c.email);
  SetText(row, Field::kTitle, c.title);
  if (is_new && c.first_name.empty() && c.last_name.empty() && c.email.empty()) {
    return IssueOf(Field::kLastName, "a contact needs a name or an e-mail address");
  }
  if (auto i = SetOptionalEnum(row, Field::kBuyingRole, c.buying_role)) return i;
  if (auto i = SetEnum(row, Field::kStance, c.stance)) return i;
  if (auto i = SetEnum(row, Field::kStatus, c.status)) return i;
  int64_t influence = c.influence;
  // The domain's range (domain/rules.h), in the importer's words.
  if (auto i = SetInt(row, Field::kInfluence, kInfluence.lo, kInfluence.hi, influence)) return i;
  c.influence = static_cast<int>(influence);
  ORCHARD_CHECK(ApplyOwner(row, c.relationship_owner_id));
  SetKey(row, is_new, &c.salesforce_id, &c.hubspot_id, c, options_.external_source);
  if (row.reports_to && !row.reports_to->key.empty()) {
    ORCHARD_TRY(auto manager, Find(ImportObject::kContacts, *row.reports_to));
    if (manager && *manager != c.id.value) {
      ORCHARD_TRY(auto theirs, AccountOfContact(*manager));
      if (theirs && *theirs != c.account_id.value) {
        return IssueOf(Field::kReportsTo, "contact " + row.reports_to->key + " is of account " +
                                              std::to_string(*theirs) + ", not of account " +
                                              std::to_string(c.account_id.value) +
                                              ": a reports-to line stays in its account");
      }
      c.reports_to_id = ContactId(*manager);
    } else if (!manager) {
      deferred_link_ = *row.reports_to;
    }
  }
  return NoIssue();
}

template <>
Importer::Outcome Importer::Apply(Opportunity& o, ImportRow& row, bool is_new) {
  o.account_id = AccountId(row_account_);
  if (row.Has(Field::kName)) {
    if (row.Get(Field::kName).empty()) {
      return IssueOf(Field::kName, "an opportunity needs a name");
    }
    o.name = row.Take(Field::kName);
  }
  if (is_new && o.name.empty()) return IssueOf(Field::kName, "an opportunity needs a name");
  if (auto i = SetEnum(row, Field::kType, o.type)) return i;
  if (auto i = SetEnum(row, Field::kStage, o.stage)) return i;
  if (auto i = SetMoney(row, Field::kAmount, o.amount)) return i;
  if (auto i = SetOptionalDate(row, Field::kCloseDate, o.close_date)) return i;
  // Open deals may have no close date yet (most CRMs allow it); closed ones need theirs.
  if (!o.close_date) {
    if (o.stage == OpportunityStage::kClosedWon || o.stage == OpportunityStage::kClosedLost) {
      return IssueOf(Field::kCloseDate, "a closed opportunity needs a close date");
    }
    Warn("open opportunities without a close date: kept, the close date left empty");
  }
  if (auto i = SetDate(row, Field::kCreatedOn, o.created_on)) return i;
  if (row.Has(Field::kLostReason)) {
    if (row.Get(Field::kLostReason).empty()) {
      o.lost_reason.reset();
    } else {
      o.lost_reason = row.Get(Field::kLostReason);
    }
  }
  ORCHARD_CHECK(ApplyOwner(row, o.owner_id));
  if (row.Has(Field::kProduct)) {  // by code or name; an unknown one is reported, not added
    ORCHARD_TRY(auto product, FindProduct(row, false));
    if (product || row.Get(Field::kProduct).empty()) o.product_id = product;
  }
  SetKey(row, is_new, &o.salesforce_id, &o.hubspot_id, o, options_.external_source);
  return NoIssue();
}

template <>
Importer::Outcome Importer::Apply(ContractLine& l, ImportRow& row, bool is_new) {
  l.account_id = AccountId(row_account_);
  if (is_new || row.Has(Field::kProduct)) {
    ORCHARD_TRY(auto product, FindProduct(row));
    l.product_id = *product;
  }
  if (is_new && !row.Has(Field::kArr)) return IssueOf(Field::kArr, "a contract needs its ARR");
  if (auto i = SetMoney(row, Field::kArr, l.arr)) return i;
  if (is_new && (!row.Has(Field::kStartDate) || row.Get(Field::kStartDate).empty())) {
    return IssueOf(Field::kStartDate, "a contract needs a start date");
  }
  if (auto i = SetDate(row, Field::kStartDate, l.start_date)) return i;
  if (auto i = SetOptionalDate(row, Field::kEndDate, l.end_date)) return i;
  if (EndsBeforeStart(l)) {  // the domain's rule (domain/arr.h), in the importer's words
    return IssueOf(Field::kEndDate, "the end date " + l.end_date->ToString() +
                                        " is before the start date " + l.start_date.ToString());
  }
  SetKey(row, is_new, &l.salesforce_id, nullptr, l, options_.external_source);
  return NoIssue();
}

Result<std::optional<int64_t>> Importer::AccountOfContact(int64_t contact) {
  auto& part = batch_->contacts;
  if (auto at = part.InsertedAt(contact)) return part.inserts[*at].account_id.value;
  if (auto up = part.updated.find(contact); up != part.updated.end()) {
    return part.updates[up->second].first.account_id.value;
  }
  ORCHARD_CHECK(ReadyToRead("contacts"));
  store::SqlValue id[] = {contact};
  return db_.QueryInt("SELECT account_id FROM contacts WHERE id = ?", id);
}

Result<std::optional<int64_t>> Importer::ParentOf(int64_t account) {
  auto& part = batch_->accounts;
  auto of = [](const Account& a) -> std::optional<int64_t> {
    if (a.parent_id) return a.parent_id->value;
    return std::nullopt;
  };
  if (auto at = part.InsertedAt(account)) return of(part.inserts[*at]);
  if (auto up = part.updated.find(account); up != part.updated.end()) {
    return of(part.updates[up->second].first);
  }
  ORCHARD_CHECK(ReadyToRead("accounts"));
  store::SqlValue id[] = {account};
  return db_.QueryInt("SELECT parent_id FROM accounts WHERE id = ?", id);
}

Result<bool> Importer::ClosesCycle(int64_t account, int64_t parent) {
  std::vector<int64_t> seen;
  for (std::optional<int64_t> at = parent; at;) {
    if (*at == account) return true;
    if (std::find(seen.begin(), seen.end(), *at) != seen.end()) return false;  // an older cycle
    seen.push_back(*at);
    ORCHARD_TRY(at, ParentOf(*at));
  }
  return false;
}

Status Importer::EndFile() {
  ORCHARD_CHECK(Flush());
  ORCHARD_CHECK(Handoff());
  ORCHARD_CHECK(WaitForWriter());
  ORCHARD_CHECK(EndFirstLoad());
  if (pending_parents_.empty() && pending_managers_.empty()) return Ok();
  return ResolvePendingLinks();
}

Status Importer::ResolvePendingLinks() {
  ORCHARD_CHECK(WaitForWriter());
  if (!in_transaction_) {
    ORCHARD_CHECK(db_.Begin());
    in_transaction_ = true;
  }
  std::string at = started_.ToString();
  for (const auto& [id, ref] : pending_parents_) {
    ORCHARD_TRY(auto parent, Find(ImportObject::kAccounts, ref));
    if (!parent || *parent == id) {
      Warn("parent account " + ref.key + " is not in Orchard: the link was left empty");
      continue;
    }
    ORCHARD_TRY(bool cycle, ClosesCycle(id, *parent));
    if (cycle) {
      Warn("parent account " + ref.key +
           " is below the account: the link would close a cycle "
           "and was left empty");
      continue;
    }
    store::SqlValue p[] = {*parent, at, id, *parent};
    ORCHARD_TRY(int64_t changed,
                db_.Exec("UPDATE accounts SET parent_id = ?, updated_at = ?, version = version + 1 "
                         "WHERE id = ? AND (parent_id IS NULL OR parent_id <> ?)",
                         p));
    if (changed) batch_->changes.push_back({"accounts", id, id});
  }
  for (const auto& [id, ref] : pending_managers_) {
    ORCHARD_TRY(auto manager, Find(ImportObject::kContacts, ref));
    if (!manager || *manager == id) {
      Warn("reports-to contact " + ref.key + " is not in Orchard: the link was left empty");
      continue;
    }
    // A reports-to line stays inside one account.
    store::SqlValue p[] = {*manager, id, *manager, *manager};
    ORCHARD_TRY(int64_t changed,
                db_.Exec("UPDATE contacts SET reports_to_id = ?, version = version + 1 "
                         "WHERE id = ? AND (reports_to_id IS NULL OR reports_to_id <> ?) AND "
                         "account_id = (SELECT account_id FROM contacts WHERE id = ?)",
                         p));
    if (changed) {
      store::SqlValue q[] = {id};
      ORCHARD_TRY(auto account, db_.QueryInt("SELECT account_id FROM contacts WHERE id = ?", q));
      batch_->changes.push_back({"contacts", id, account.value_or(0)});
    }
  }
  pending_parents_.clear();
  pending_managers_.clear();
  Status done = Write(*batch_);  // the change-log entries, and the commit
  batch_ = std::make_unique<Batch>();
  return done;
}

Result<ImportSummary> Importer::Finish() {
  if (!summary_.files.empty()) ORCHARD_CHECK(EndFile());
  for (const auto& f : summary_.files) {
    summary_.rows += f.rows;
    summary_.inserted += f.inserted;
    summary_.updated += f.updated;
    summary_.unchanged += f.unchanged;
    summary_.rejected += f.rejected;
    summary_.skipped += f.skipped;
  }
  if (!options_.dry_run && db_.dialect() == store::Dialect::kSqlite) {
    // The last commit below syncs the log, and with it every batch (see Start).
    ORCHARD_CHECK(db_.ExecScript("PRAGMA synchronous = FULL"));
  }
  if (options_.dry_run) {
    in_transaction_ = false;
    ORCHARD_CHECK(db_.Rollback());
  } else if (summary_.inserted + summary_.updated > 0) {
    // One audit entry for the import: who, when, from where, and what it did.
    ORCHARD_CHECK(db_.Begin());
    in_transaction_ = true;
    AuditEntry e;
    if (options_.actor) e.actor_id = *options_.actor;
    e.at = started_;
    e.entity = "imports";
    e.action = AuditAction::kCreate;
    ImportSummary brief = summary_;
    brief.rejections.clear();
    e.after_json = brief.ToJson();
    store::Store store(db_);
    ORCHARD_CHECK(store.Insert(e));
    in_transaction_ = false;
    ORCHARD_CHECK(db_.Commit());
  }
  if (report_) report_.flush();
  summary_.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count() -
      started_seconds_;
  return summary_;
}

}  // namespace orchard::ingest
