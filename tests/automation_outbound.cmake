# Automation's outbound e-mail and webhooks (issue 19): the senders without a network
# (outbound_test), and the durable outbox with real parts (outbox_test): a real SMTP server
# (python3-aiosmtpd), webhook receivers on loopback, two deliverers racing on one PostgreSQL and
# the routes through the real binary, on both backends.
orchard_test(outbound_test SOURCES automation/outbound_test.cc LIBS orchard_automation)
orchard_test(outbox_test SOURCES automation/outbox_test.cc
  LIBS orchard_automation orchard_test_support Boost::json PkgConfig::HTTPLIB Threads::Threads)
add_dependencies(outbox_test orchard)
