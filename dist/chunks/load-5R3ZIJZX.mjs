import{createRequire as __jitpCR}from'node:module';const require=__jitpCR(import.meta.url);
import{loadConfig}from"./chunk-R3ZTEUXM.mjs";import"./chunk-5MFIRO4G.mjs";import"./chunk-QTBIG56Y.mjs";import"./chunk-DLBHB7P5.mjs";export{loadConfig};
