/**
 * `npx cdk deploy -c stage=dev` entry (see cdk.json; `npm run deploy -- --stage dev` wraps it). The
 * stage and its settings come from CDK context; no secret is read here, so `cdk synth` runs anywhere.
 */

import { App } from 'aws-cdk-lib';
import { tierwiseApp } from './stack';

tierwiseApp(new App());
