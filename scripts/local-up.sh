#!/usr/bin/env bash
# Converges the root stack (Pulumi.yaml + Pulumi.dev.yaml) with the Pulumi CLI against a local
# Runpod emulator this script starts and stops. State lives in .pulumi-state/ (git-ignored),
# so nothing touches a Pulumi account or a Runpod account.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v pulumi >/dev/null 2>&1; then
  cat >&2 <<'MSG'
The Pulumi CLI is needed to converge the stack (the tests do not need it: `npm test`).
Install it, then run this command again:
  curl -fsSL https://get.pulumi.com | sh        # Linux / macOS
  brew install pulumi/tap/pulumi                # macOS with Homebrew
  choco install pulumi                          # Windows
See https://www.pulumi.com/docs/install/
MSG
  exit 1
fi

port="${RUNPOD_EMULATOR_PORT:-8787}"
key="local-emulator-key"
node emulator/dist/cli.js --port "$port" --api-key "$key" &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  curl -fsS -o /dev/null -H "authorization: Bearer $key" "http://127.0.0.1:$port/v2/network-volumes" 2>/dev/null && break
  sleep 0.1
done

mkdir -p .pulumi-state
export PULUMI_BACKEND_URL="file://$PWD/.pulumi-state"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-local-emulator-only}"
export RUNPOD_API_KEY="$key"
export RUNPOD_API_URL="http://127.0.0.1:$port"
export RUNPOD_GRAPHQL_URL="http://127.0.0.1:$port/graphql"
export RUNPOD_POLL_INTERVAL_SECONDS=0.2

# A local stack whose config is the committed sample fleet, plus throwaway secret values.
stack="local"
pulumi stack select "$stack" >/dev/null 2>&1 || pulumi stack init "$stack" >/dev/null
# Keep the stack's own encryption salt (written by `stack init`) above the sample's config.
salt="$(grep '^encryptionsalt:' "Pulumi.$stack.yaml" 2>/dev/null || true)"
{ [ -n "$salt" ] && echo "$salt"; cat Pulumi.dev.yaml; } > "Pulumi.$stack.yaml.tmp"
mv "Pulumi.$stack.yaml.tmp" "Pulumi.$stack.yaml"
pulumi config set --secret --path "fleetSecrets.secrets.hf" "local-hf-token" >/dev/null
pulumi config set --secret --path "fleetSecrets.registries.ghcr" "local-registry-password" >/dev/null

# The emulator starts empty each run: --refresh forgets what an earlier run created.
pulumi up --yes --refresh
pulumi stack output
