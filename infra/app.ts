import { buildApp } from './build';

/** `npx cdk synth|deploy` entry; context comes from cdk.json and `-c key=value`. */
buildApp();
