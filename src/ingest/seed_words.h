// The synthetic book's words (internal to ingest/): the names, titles, subjects and phrases the
// generator draws from, kept apart from it so that a list can grow without touching the draws
// (a longer list changes which word a draw picks, so the book's rows change: seed_test says so).
#pragma once

#include <array>
#include <string_view>

namespace orchard::ingest::seed {

inline constexpr std::array<std::string_view, 40> kCompanyFirst = {
    "Northwind",   "Contoso",    "Fabrikam",  "Tailspin",  "Wingtip",       "Adventure",
    "Blue Yonder", "Coho",       "Alpine",    "Litware",   "Proseware",     "Lucerne",
    "Margie",      "Trey",       "Humongous", "Woodgrove", "Fourth Coffee", "Graphic",
    "Wide World",  "Southridge", "Datum",     "Relecloud", "Bellows",       "Cascade",
    "Summit",      "Granite",    "Harbor",    "Ironwood",  "Juniper",       "Keystone",
    "Lakeshore",   "Meridian",   "Nimbus",    "Orion",     "Pinnacle",      "Quarry",
    "Redwood",     "Sterling",   "Tidewater", "Vanguard"};
inline constexpr std::array<std::string_view, 20> kCompanySecond = {
    "Analytics",     "Logistics", "Health",   "Systems",  "Foods",     "Energy",  "Capital",
    "Motors",        "Pharma",    "Networks", "Retail",   "Insurance", "Labs",    "Media",
    "Manufacturing", "Partners",  "Telecom",  "Learning", "Aerospace", "Holdings"};
inline constexpr std::array<std::string_view, 12> kIndustries = {
    "Software", "Financial Services", "Healthcare", "Manufacturing", "Retail", "Logistics",
    "Energy",   "Telecommunications", "Education",  "Public Sector", "Media",  "Insurance"};
inline constexpr std::array<std::string_view, 4> kRegions = {"North America", "EMEA", "APAC",
                                                             "LATAM"};
inline constexpr std::array<std::string_view, 32> kFirstNames = {
    "Ada",   "Ben",   "Chloe", "Dev",    "Elena",  "Femi",   "Grace", "Hiro",
    "Ines",  "Jonas", "Kara",  "Liam",   "Maya",   "Noah",   "Olga",  "Priya",
    "Quinn", "Rosa",  "Sam",   "Tariq",  "Uma",    "Victor", "Wen",   "Ximena",
    "Yusuf", "Zoe",   "Amir",  "Bianca", "Carlos", "Dana",   "Emil",  "Farah"};
inline constexpr std::array<std::string_view, 32> kLastNames = {
    "Okafor",  "Lindqvist", "Nakamura", "Garcia",    "Schmidt", "Patel",   "Moreau", "Kowalski",
    "Rossi",   "Haddad",    "Novak",    "Silva",     "Jensen",  "Murphy",  "Chen",   "Dubois",
    "Ivanova", "Kim",       "Larsen",   "Mendes",    "Nguyen",  "O'Brien", "Petrov", "Quispe",
    "Reyes",   "Sato",      "Tanaka",   "Underwood", "Varga",   "Walsh",   "Yilmaz", "Zimmermann"};
inline constexpr std::array<std::string_view, 12> kTitles = {
    "Chief Operating Officer", "VP Operations",       "Director of IT",     "Head of Procurement",
    "Finance Director",        "Engineering Manager", "Operations Manager", "Business Analyst",
    "Solutions Architect",     "Program Manager",     "Team Lead",          "Administrator"};
inline constexpr std::array<std::string_view, 10> kDivisionNames = {
    "Corporate",   "Operations",   "Finance",          "Sales",    "Marketing",
    "Engineering", "Supply Chain", "Customer Service", "Research", "Human Resources"};
inline constexpr std::array<std::string_view, 12> kProductNames = {
    "Orchard Core",    "Insights",         "Automation",      "Data Connectors",
    "Security Suite",  "Mobile Field",     "Forecasting",     "Collaboration",
    "Premium Support", "Compliance Vault", "Workflow Studio", "Partner Portal"};
inline constexpr std::array<std::string_view, 8> kPriorities = {
    "Cut onboarding time for new plants from 6 weeks to 2",
    "One view of every customer across regions by Q3",
    "Reduce operating cost per order by 10% this year",
    "Pass the SOC 2 audit without findings",
    "Launch self-service ordering for mid-market customers",
    "Consolidate three legacy tools into one platform",
    "Give field teams live data on mobile",
    "Grow recurring revenue from existing customers by 20%"};
inline constexpr std::array<std::string_view, 6> kRisks = {
    "Champion is interviewing elsewhere",
    "Budget freeze announced for next fiscal year",
    "Competitor pilot running in the finance division",
    "Usage flat since the last release",
    "Open escalation on data sync failures",
    "New CIO reviewing all vendor contracts"};
inline constexpr std::array<std::string_view, 6> kActions = {
    "Book an executive sponsor meeting with the CFO", "Run an adoption workshop for new users",
    "Send the ROI summary ahead of renewal",          "Map the new procurement stakeholders",
    "Agree a success plan for the expansion pilot",   "Close the open escalation with support"};
inline constexpr std::array<std::string_view, 4> kPlanChanges = {
    "Added priorities from the QBR", "Updated the relationship map",
    "Sized whitespace in two more divisions", "Recorded a new risk and its mitigation"};
inline constexpr std::array<std::string_view, 4> kCompetitors = {"Gainsight", "Totango",
                                                                 "ChurnZero", "Salesforce"};
// Opportunity names read as a person writes them ("Acme — Cross-sell 2027"), by
// OpportunityType's order.
inline constexpr std::array<std::string_view, 4> kOpportunityTypeNames = {"New business", "Renewal",
                                                                          "Upsell", "Cross-sell"};

inline constexpr std::array<std::string_view, 5> kLostReasons = {
    "Chose a competitor on price", "No budget this year", "Project deprioritised",
    "Built it in-house", "Consolidated onto the parent company's tool"};
inline constexpr std::array<std::string_view, 8> kSubjects = {
    "Renewal planning", "Quarterly business review", "Roadmap preview",     "Support follow-up",
    "Pricing question", "Onboarding check-in",       "Executive alignment", "Usage review"};
inline constexpr std::array<std::string_view, 6> kTicketSubjects = {
    "Sync job failing nightly",   "SSO login loop",
    "Report export times out",    "Request: bulk user import",
    "Dashboard shows stale data", "API rate limit errors"};
inline constexpr std::array<std::string_view, 6> kNpsComments = {
    "Great support team, quick answers",   "Powerful but the UI takes time to learn",
    "Reporting is exactly what we needed", "Too many outages this quarter",
    "Pricing is hard to justify",          "Would recommend to peers"};

}  // namespace orchard::ingest::seed
