# The response SLA (issue 19): its arithmetic, the sla_at_risk and sla_breached triggers through
# the real engine on a clock the test moves, the KPI strip's attainment by tier and AM, and a bad
# first response refused over HTTP — through the real server on both backends.
orchard_test(sla_test SOURCES automation/sla_test.cc LIBS orchard_security_harness)
