#!/usr/bin/env bash
# `npm run setup`: everything the demo and the test suite need on a bare Debian or Ubuntu machine with
# Node.js 20+, then `npm ci`. Installs only what is missing, so a second run spends its time in npm ci.
#
#   system package    needed by
#   redis-server      the demo and the service tests (they start a private one when none answers)
#   chromium          the task pane's browser tests (playwright-core drives Debian's Chromium)
#   g++               the GPU tests, which build generated CUDA programs as C++ to emulate the device
#   libthrust-dev     the same, for the device statistics library, when no CUDA toolkit provides Thrust
#   docker compose    the test that checks compose.yaml (`docker compose config`; no daemon needed)
#
# The Office sideloading tools are not installed here: `npm run sideload` installs them on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

say() { echo "setup: $*"; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  say "Node.js 20 or newer is required (found $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

chromium_path=${CHROMIUM_PATH:-/usr/bin/chromium}
cuda_home=${CUDA_HOME:-/usr/local/cuda}

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x "$chromium_path" ] || missing+=(chromium)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
if [ ! -d "$cuda_home/include/cccl/thrust" ] && [ ! -d "$cuda_home/include/thrust" ] &&
  [ ! -d /usr/include/thrust ]; then
  missing+=(libthrust-dev)
fi
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  # Ubuntu packages Compose v2 as docker-compose-v2; Debian 12 has Compose v1 as docker-compose.
  if apt-cache show docker-compose-v2 >/dev/null 2>&1; then missing+=(docker-compose-v2); else missing+=(docker-compose); fi
fi

if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    say "missing ${missing[*]} and this machine has no apt-get: install them with its package manager" >&2
    exit 1
  fi
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo=(sudo)
    else
      say "missing ${missing[*]}; run as root or with sudo:" >&2
      say "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
  say "installing ${missing[*]} (apt-get)"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
  if [ ! -x "$chromium_path" ]; then
    # Ubuntu's chromium package is a wrapper around a snap, which does not run in containers.
    say "Chromium was installed but $chromium_path does not exist; install a Chromium that provides it" >&2
    say "  (Debian's chromium package does), or set CHROMIUM_PATH to a Chromium executable" >&2
    exit 1
  fi
fi

npm ci --no-audit --no-fund
