# Sizes a reader can hold in their head (tests/style/sizes.mjs): no source file over 800 lines and
# no function over 120 lines outside tests, unless a "// Long: …" comment says why.
orchard_node_test(source_sizes style/sizes.mjs 120 "ORCHARD_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
