import{createRequire as __jitpCR}from'node:module';const require=__jitpCR(import.meta.url);
import{loadConfig}from"./chunk-WHOAE4KG.mjs";import"./chunk-QTBIG56Y.mjs";import"./chunk-DLBHB7P5.mjs";export{loadConfig};
