// A plan on one page (issue 5): the account plan rendered as a printable HTML page for the
// business review — header, KPIs and health, priorities, the relationship map as an org chart
// coloured by stance, the whitespace matrix, risks and actions — and the same page printed to PDF
// by headless Chromium.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/result.h"
#include "domain/entities.h"
#include "engine/health_report.h"
#include "service/whitespace.h"

namespace orchard::http {

struct PlanPage {
  Date today;
  Account account;
  AccountPlan plan;
  std::vector<PlanPriority> priorities;
  std::vector<Contact> contacts;
  service::WhitespaceMatrix whitespace;
  std::vector<PlanRisk> risks;
  std::vector<PlanAction> actions;
  std::map<int64_t, std::string> user_names;   // by user id
  std::optional<engine::HealthReport> health;  // none without the in-memory book
};

// The whole page, self-contained (styles inline, no scripts, no external resources), every
// value HTML-escaped.
std::string RenderPlanPage(const PlanPage& page);

// Prints an HTML page to PDF with headless Chromium (`chromium`: its path). Hand-written
// because no Debian-packaged library lays out HTML and CSS for print; Chromium is the renderer
// the web UI is tested with, so the PDF is the page the user sees. Unavailable when Chromium is
// missing, with how to install it; Internal if it fails or takes more than `timeout_s`.
Result<std::string> PrintToPdf(const std::string& html, const std::string& chromium,
                               int timeout_s = 60);

}  // namespace orchard::http
