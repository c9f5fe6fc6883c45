/**
 * Builds the Excel add-in (addin/) into dist/: the task pane, the ribbon commands and the MC.* custom
 * functions, all hosted by one shared runtime page (taskpane.html), plus functions.json (generated from
 * the JSDoc of addin/src/functions/functions.ts), the icons and manifest.xml.
 *
 *   npx webpack --mode production [--env origin=https://addin.example.com]   (or ADDIN_ORIGIN=…)
 *   npm run dev-server   → https://localhost:3000, /api and /ws proxied to MONTECELL_SERVICE (http://localhost:8000)
 */
const path = require('node:path');
const CopyWebpackPlugin = require('copy-webpack-plugin');
const CustomFunctionsMetadataPlugin = require('custom-functions-metadata-plugin');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const webpack = require('webpack');

const DEV_ORIGIN = 'https://localhost:3000';
const FUNCTIONS_SOURCE = './addin/src/functions/functions.ts';

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', tsx: true },
    target: 'es2020',
    transform: { react: { runtime: 'automatic' } },
  },
};

/** The manifest with every dev-server URL pointing at the origin the add-in is deployed to. */
function rewriteManifest(content, origin) {
  const text = content.toString();
  return origin === DEV_ORIGIN ? text : text.split(DEV_ORIGIN).join(origin.replace(/\/+$/, ''));
}

async function devServerHttps() {
  let devCerts;
  try {
    devCerts = require('office-addin-dev-certs');
  } catch {
    // Installed on first use, not by npm ci (scripts/office-tools.mjs).
    throw new Error('office-addin-dev-certs is not installed: start the dev server with npm run dev-server');
  }
  return devCerts.getHttpsServerOptions();
}

module.exports = async (env = {}, argv = {}) => {
  const production = argv.mode === 'production';
  const origin = env.origin || process.env.ADDIN_ORIGIN || DEV_ORIGIN;
  const service = process.env.MONTECELL_SERVICE || 'http://localhost:8000';
  return {
    mode: production ? 'production' : 'development',
    devtool: production ? 'source-map' : 'eval-cheap-module-source-map',
    context: __dirname,
    entry: {
      taskpane: './addin/src/taskpane/index.tsx',
      commands: './addin/src/commands/commands.ts',
      functions: FUNCTIONS_SOURCE,
    },
    output: {
      path: path.resolve(__dirname, 'dist'),
      filename: '[name].js',
      clean: true,
    },
    resolve: { extensions: ['.ts', '.tsx', '.mjs', '.js'] },
    module: {
      rules: [
        { test: /\.tsx?$/, exclude: /node_modules/, use: { loader: 'swc-loader', options: swcOptions } },
        { test: /\.m?js$/, resolve: { fullySpecified: false } },
      ],
    },
    performance: { hints: false },
    plugins: [
      new webpack.DefinePlugin({
        'process.env.MONTECELL_SERVICE_URL': JSON.stringify(process.env.MONTECELL_SERVICE_URL || ''),
      }),
      new CustomFunctionsMetadataPlugin({ output: 'functions.json', input: FUNCTIONS_SOURCE }),
      new HtmlWebpackPlugin({
        filename: 'taskpane.html',
        template: './addin/src/taskpane/taskpane.html',
        chunks: ['taskpane', 'commands', 'functions'],
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: 'addin/assets/*.png', to: 'assets/[name][ext]' },
          { from: 'addin/src/help.html', to: 'help.html' },
          {
            from: 'manifest.xml',
            to: 'manifest.xml',
            transform: (content) => rewriteManifest(content, origin),
          },
        ],
      }),
    ],
    devServer: {
      port: 3000,
      server: { type: 'https', options: process.env.WEBPACK_SERVE ? await devServerHttps() : {} },
      headers: { 'Access-Control-Allow-Origin': '*' },
      proxy: [
        { context: ['/api'], target: service, changeOrigin: true },
        { context: ['/ws'], target: service, ws: true, changeOrigin: true },
      ],
      static: false,
    },
  };
};
