// The one source of orchard_test_pch, the target whose precompiled header every test binary
// reuses (tests/CMakeLists.txt): it holds no code.
