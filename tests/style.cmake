# Sizes a reader can hold in their head (tests/style/sizes.mjs): no source file over 800 lines and
# no function over 120 lines outside tests, unless a "// Long: …" comment says why.
orchard_node_test(source_sizes style/sizes.mjs 120 "ORCHARD_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
# Every link in README.md and docs/*.md points inside the repository, at a file that exists.
orchard_node_test(doc_links style/doc_links.mjs 60 "ORCHARD_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
