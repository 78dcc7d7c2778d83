#include "http/plan_page.h"

#include "http/handler_kit.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <type_traits>

#include "domain/enums.h"

extern char** environ;

namespace orchard::http {

namespace {

std::string Dollars(int64_t cents) {
  // $1,234,567 (whole dollars: a business review does not read cents).
  const bool negative = cents < 0;
  std::string digits = std::to_string((negative ? -cents : cents + 50) / 100);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (negative ? "-$" : "$") + out;
}

std::string Label(std::string_view enum_text) {
  std::string out(enum_text);
  for (char& c : out) c = c == '_' ? ' ' : c;
  return out;
}

// A value of the health report as the page shows it: "—" for none.
template <class T>
std::string Shown(const std::optional<T>& v) {
  if (!v) return "—";
  if constexpr (std::is_same_v<T, Date>) {
    return v->ToString();
  } else {
    return std::to_string(*v);
  }
}

std::string Name(const Contact& c) {
  return c.first_name + (c.last_name.empty() ? "" : " ") + c.last_name;
}

std::string UserName(const PlanPage& p, const std::optional<UserId>& id) {
  if (!id) return "—";
  auto it = p.user_names.find(id->value);
  return it == p.user_names.end() ? "user " + std::to_string(id->value) : it->second;
}

constexpr std::string_view kStyle = R"(
  @page { size: A4 landscape; margin: 12mm; }
  body { font: 10.5pt/1.35 system-ui, "DejaVu Sans", sans-serif; color: #1d2433; margin: 0; }
  h1 { font-size: 18pt; margin: 0; } h2 { font-size: 11.5pt; margin: 14px 0 6px;
    border-bottom: 1px solid #c9d1e0; padding-bottom: 2px; text-transform: uppercase;
    letter-spacing: .04em; color: #3b4a66; }
  .meta { color: #52607a; margin: 2px 0 10px; }
  .kpis { display: flex; gap: 8px; flex-wrap: wrap; }
  .kpi { border: 1px solid #d5dbe7; border-radius: 6px; padding: 6px 10px; min-width: 110px; }
  .kpi b { display: block; font-size: 13pt; } .kpi span { color: #52607a; font-size: 8.5pt; }
  .green { color: #1b7f3b; } .yellow { color: #a86b00; } .red { color: #b3261e; }
  table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
  th, td { border: 1px solid #d5dbe7; padding: 3px 6px; text-align: left; vertical-align: top; }
  th { background: #eef2f8; } td.num, th.num { text-align: right; }
  .cols { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
  ul.org, ul.org ul { list-style: none; margin: 0; padding-left: 16px; }
  ul.org > li { padding-left: 0; } ul.org li { margin: 2px 0; }
  .who { display: inline-block; border-radius: 4px; padding: 1px 6px; border: 1px solid #c9d1e0; }
  .champion { background: #d8f3e0; } .supporter { background: #e8f5ec; }
  .neutral { background: #f1f3f7; } .detractor { background: #fde8d8; } .blocker { background: #fbd5d2; }
  .departed { text-decoration: line-through; opacity: .6; }
  .badge { font-size: 8pt; background: #3b4a66; color: #fff; border-radius: 3px; padding: 0 4px; margin-left: 4px; }
  .owned { background: #d8f3e0; } .in_pipeline { background: #dbe8fb; } .competitor { background: #fbd5d2; }
  .open { background: #fff6d6; } .not_a_fit { background: #f1f3f7; color: #8a94a6; }
  .foot { margin-top: 12px; color: #8a94a6; font-size: 8pt; }
  @media screen {
    body { max-width: 1120px; margin: 16px auto; padding: 0 16px; }
    .print-hint { background: #eef2f8; border: 1px solid #c9d1e0; border-radius: 6px;
      padding: 6px 10px; margin: 0 0 10px; }
  }
  @media print {
    .print-hint { display: none; }
    body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    h2 { break-after: avoid; page-break-after: avoid; }
    tr, li, .kpi { break-inside: avoid; page-break-inside: avoid; }
    table { page-break-inside: auto; }
  }
)";

void Kpi(std::ostringstream& out, const std::string& value, std::string_view label,
         std::string_view css = "") {
  out << "<div class=\"kpi\"><b class=\"" << css << "\">" << EscapeHtml(value) << "</b><span>"
      << label << "</span></div>";
}

void OrgChart(std::ostringstream& out, const PlanPage& p, std::optional<ContactId> manager,
              std::set<int64_t>& drawn) {
  std::vector<const Contact*> level;
  std::set<int64_t> ids;
  for (const Contact& c : p.contacts) ids.insert(c.id.value);
  for (const Contact& c : p.contacts) {
    const bool root = !c.reports_to_id || !ids.contains(c.reports_to_id->value);
    if (manager ? (c.reports_to_id == manager) : root) level.push_back(&c);
  }
  if (level.empty()) return;
  out << "<ul" << (manager ? "" : " class=\"org\"") << ">";
  for (const Contact* c : level) {
    if (!drawn.insert(c->id.value).second) continue;
    out << "<li><span class=\"who " << ToString(c->stance)
        << (c->status == ContactStatus::kDeparted ? " departed" : "") << "\">"
        << EscapeHtml(Name(*c)) << "</span> <small>" << EscapeHtml(c->title) << " · "
        << Label(ToString(c->stance)) << " · influence " << c->influence << "</small>";
    if (c->buying_role)
      out << "<span class=\"badge\">" << Label(ToString(*c->buying_role)) << "</span>";
    OrgChart(out, p, c->id, drawn);
    out << "</li>";
  }
  out << "</ul>";
}

// The KPI strip (health, ARR, tier, the account's metrics, whitespace) and the health
// components, from the engine's health report.
void HealthAndKpis(std::ostringstream& out, const PlanPage& p) {
  out << "<h2>Health and KPIs</h2><div class=\"kpis\">";
  if (p.health) {
    const engine::HealthReport& h = *p.health;
    const std::string colour(engine::ColourName(h.colour));
    Kpi(out, Shown(h.score) + " " + colour, "health", colour);
    Kpi(out, Dollars(h.arr_cents), "ARR today");
    Kpi(out, "Tier " + std::string(ToString(h.tier)), "coverage tier");
    const engine::AccountMetrics& m = h.metrics;
    Kpi(out, Shown(m.renewal_date), "renewal");
    Kpi(out, std::to_string(m.multithreading_depth), "multithreading depth");
    Kpi(out, std::to_string(m.plan_completeness) + "%", "plan completeness");
    Kpi(out, Shown(m.plan_freshness_days) + " days", "since the plan changed");
    Kpi(out, Shown(m.last_meaningful_contact), "last meaningful contact");
  }
  Kpi(out, Dollars(p.whitespace.total.whitespace_cents), "whitespace potential");
  out << "</div>";
  if (p.health) {
    out << "<table style=\"margin-top:6px\"><tr><th>component</th><th class=\"num\">value</th>"
           "<th class=\"num\">weight</th><th>what it is made of</th></tr>";
    for (const auto& c : p.health->components) {
      out << "<tr><td>" << EscapeHtml(c.name) << "</td><td class=\"num\">"
          << EscapeHtml(Shown(c.value)) << "</td><td class=\"num\">" << c.weight << "%</td><td>"
          << EscapeHtml(c.detail) << "</td></tr>";
    }
    out << "</table>";
  }
}

}  // namespace

std::string RenderPlanPage(const PlanPage& p) {
  std::ostringstream out;
  const std::string title = "Account plan — " + p.account.name;
  out << "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
      << EscapeHtml(title) << "</title><style>" << kStyle << "</style></head><body>";
  // On screen only (print CSS hides it): how this page becomes a PDF in any browser.
  out << "<p class=\"print-hint\">Print-ready: use your browser's Print (Ctrl+P or ⌘P) and "
         "choose <b>Save as PDF</b>. This note is not printed.</p>";
  out << "<h1>" << EscapeHtml(p.account.name) << "</h1><p class=\"meta\">"
      << EscapeHtml(p.account.industry) << (p.account.industry.empty() ? "" : " · ")
      << "AM: " << EscapeHtml(UserName(p, p.account.owner_id)) << " · plan version "
      << p.plan.version << ", changed " << p.plan.updated_at.date().ToString()
      << (p.plan.last_reviewed_at ? ", reviewed " + p.plan.last_reviewed_at->date().ToString()
                                  : std::string(", never reviewed"))
      << " · printed " << p.today.ToString() << "</p>";
  if (!p.plan.summary.empty()) out << "<p>" << EscapeHtml(p.plan.summary) << "</p>";

  HealthAndKpis(out, p);

  out << "<div class=\"cols\"><div>";
  // Priorities, in the customer's words.
  out << "<h2>Strategic priorities</h2>";
  if (p.priorities.empty()) out << "<p>None recorded.</p>";
  out << "<ol>";
  for (const PlanPriority& pr : p.priorities) {
    std::string who = pr.source;
    if (pr.source_contact_id) {
      for (const Contact& c : p.contacts) {
        if (c.id == *pr.source_contact_id) who = Name(c);
      }
    }
    out << "<li>“" << EscapeHtml(pr.text) << "”";
    if (!who.empty() || pr.said_on) {
      out << " <small>— " << EscapeHtml(who) << (pr.said_on ? ", " + pr.said_on->ToString() : "")
          << "</small>";
    }
    out << "</li>";
  }
  out << "</ol>";
  // The relationship map.
  out << "<h2>Relationship map</h2>";
  if (p.contacts.empty()) out << "<p>No contacts.</p>";
  std::set<int64_t> drawn;
  OrgChart(out, p, std::nullopt, drawn);
  out << "</div><div>";
  // Risks and actions.
  out << "<h2>Risks</h2>";
  if (p.risks.empty()) {
    out << "<p>None recorded.</p>";
  } else {
    out << "<table><tr><th>risk</th><th>severity</th><th>likelihood</th><th>mitigation</th>"
           "<th>owner</th><th>status</th></tr>";
    for (const PlanRisk& r : p.risks) {
      out << "<tr><td>" << EscapeHtml(r.description) << "</td><td>" << ToString(r.severity)
          << "</td><td>" << ToString(r.likelihood) << "</td><td>" << EscapeHtml(r.mitigation)
          << "</td><td>" << EscapeHtml(UserName(p, r.mitigation_owner_id)) << "</td><td>"
          << Label(ToString(r.status)) << "</td></tr>";
    }
    out << "</table>";
  }
  out << "<h2>Actions</h2>";
  if (p.actions.empty()) {
    out << "<p>None recorded.</p>";
  } else {
    out << "<table><tr><th>action</th><th>owner</th><th>due</th><th>status</th></tr>";
    for (const PlanAction& a : p.actions) {
      const bool late = a.status == ActionStatus::kOpen && a.due_on && *a.due_on < p.today;
      out << "<tr><td>" << EscapeHtml(a.description) << "</td><td>"
          << EscapeHtml(UserName(p, a.owner_id)) << "</td><td" << (late ? " class=\"red\"" : "")
          << ">" << (a.due_on ? a.due_on->ToString() : "—") << (late ? " (overdue)" : "")
          << "</td><td>" << Label(ToString(a.status)) << "</td></tr>";
    }
    out << "</table>";
  }
  out << "</div></div>";

  // Whitespace: divisions × products.
  const auto& w = p.whitespace;
  out << "<h2>Whitespace</h2>";
  if (w.divisions.empty() || w.products.empty()) {
    out << "<p>No divisions or products to map yet.</p>";
  } else {
    std::map<std::pair<int64_t, int64_t>, const WhitespaceCell*> cells;
    for (const WhitespaceCell& c : w.cells) cells[{c.division_id.value, c.product_id.value}] = &c;
    out << "<table><tr><th>division</th>";
    for (const Product& pr : w.products) out << "<th>" << EscapeHtml(pr.name) << "</th>";
    out << "<th class=\"num\">whitespace</th></tr>";
    for (const Division& d : w.divisions) {
      out << "<tr><th>" << EscapeHtml(d.name) << " <small>(" << d.headcount << ")</small></th>";
      for (const Product& pr : w.products) {
        auto it = cells.find({d.id.value, pr.id.value});
        if (it == cells.end()) {
          out << "<td></td>";
          continue;
        }
        const WhitespaceCell& c = *it->second;
        out << "<td class=\"" << ToString(c.status) << "\">" << Label(ToString(c.status));
        if (c.status == WhitespaceStatus::kCompetitor && c.competitor) {
          out << ": " << EscapeHtml(*c.competitor);
        }
        if (c.potential.cents() > 0) out << "<br>" << Dollars(c.potential.cents());
        out << "</td>";
      }
      out << "<td class=\"num\">" << Dollars(w.by_division.at(d.id.value).whitespace_cents)
          << "</td></tr>";
    }
    out << "<tr><th>total</th>";
    for (const Product& pr : w.products) {
      out << "<td class=\"num\">" << Dollars(w.by_product.at(pr.id.value).whitespace_cents)
          << "</td>";
    }
    out << "<td class=\"num\"><b>" << Dollars(w.total.whitespace_cents) << "</b></td></tr></table>";
  }
  out << "<p class=\"foot\">Orchard · plan " << p.plan.id.value << " of account "
      << p.account.id.value << "</p></body></html>";
  return out.str();
}

Result<std::string> PrintToPdf(const std::string& html, const std::string& chromium,
                               int timeout_s) {
  namespace fs = std::filesystem;
  if (::access(chromium.c_str(), X_OK) != 0) {
    return Fail(ErrorCode::kUnavailable,
                "PDF export needs Chromium at " + chromium +
                    " (apt-get install chromium, or set ORCHARD_CHROMIUM); the HTML export works "
                    "without it");
  }
  std::string dir_template = (fs::temp_directory_path() / "orchard-pdf.XXXXXX").string();
  if (::mkdtemp(dir_template.data()) == nullptr) {
    return Fail(ErrorCode::kInternal, "could not make a temporary folder for the PDF");
  }
  const fs::path dir = dir_template;
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  } cleanup{dir};
  {
    std::ofstream page(dir / "plan.html", std::ios::binary);
    page << html;
    if (!page) return Fail(ErrorCode::kInternal, "could not write the page to print");
  }
  // The flags of ../shared/STACK.md: no sandbox (we may run as root), no network chatter, a
  // fresh profile every time.
  std::vector<std::string> args = {chromium,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-quic",
                                   "--no-first-run",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--user-data-dir=" + (dir / "profile").string(),
                                   "--no-pdf-header-footer",
                                   "--print-to-pdf=" + (dir / "plan.pdf").string(),
                                   "file://" + (dir / "plan.html").string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string log = (dir / "chromium.log").string();
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, chromium.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return Fail(ErrorCode::kInternal, "could not start " + chromium);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  int status = 0;
  for (;;) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return Fail(ErrorCode::kInternal,
                  "Chromium took more than " + std::to_string(timeout_s) + " s to print the plan");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::ifstream pdf(dir / "plan.pdf", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(pdf)), std::istreambuf_iterator<char>());
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !bytes.starts_with("%PDF")) {
    std::ifstream said(log);
    std::string tail((std::istreambuf_iterator<char>(said)), std::istreambuf_iterator<char>());
    if (tail.size() > 400) tail = tail.substr(tail.size() - 400);
    return Fail(ErrorCode::kInternal, "Chromium could not print the plan: " + tail);
  }
  return bytes;
}

}  // namespace orchard::http
