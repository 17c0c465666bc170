import{createRequire as __jitpCR}from'node:module';const require=__jitpCR(import.meta.url);
import{loadConfig}from"./chunk-LBPZULYG.mjs";import"./chunk-EB4YD7KJ.mjs";import"./chunk-QTBIG56Y.mjs";import"./chunk-DLBHB7P5.mjs";export{loadConfig};
