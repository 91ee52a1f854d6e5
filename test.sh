#!/usr/bin/env bash
# Runs every FastLog test on a fresh machine that has only the .NET SDK.
# What the tests need beyond the SDK is installed here: kcat (Debian's package, librdkafka 2.0.2), which
# the broker tests drive as a real client. Everything else comes from NuGet during the build.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v kcat >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq kcat
fi

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
