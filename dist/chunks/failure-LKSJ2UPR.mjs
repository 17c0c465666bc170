import{createRequire as __jitpCR}from'node:module';const require=__jitpCR(import.meta.url);
import{failureModeOf,failureOutcome}from"./chunk-XHI4QSGJ.mjs";import"./chunk-DLBHB7P5.mjs";export{failureModeOf,failureOutcome};
