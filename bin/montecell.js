#!/usr/bin/env node
require('../build/server/cli/main.js');
