#!/usr/bin/env bash
# Runs every FastLog test on a fresh machine that has only the .NET SDK.
# What the tests need beyond the SDK is installed here; today that is nothing: the storage and protocol
# tests use real files, real child processes (kill -9) and fixtures committed under tests/fixtures.
set -euo pipefail
cd "$(dirname "$0")"

log=$(mktemp)
trap 'rm -f "$log"' EXIT

status=0
dotnet test FastLog.sln --configuration Release 2>&1 | tee "$log" || status=$?

# One closing line for the whole run, summed over the test assemblies.
awk '/(Passed|Failed)!  - /{
        for (i = 1; i <= NF; i++) {
            if ($i == "Failed:") failed += $(i + 1) + 0
            if ($i == "Passed:") passed += $(i + 1) + 0
            if ($i == "Skipped:") skipped += $(i + 1) + 0
        }
     }
     END { printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log"
exit "$status"
