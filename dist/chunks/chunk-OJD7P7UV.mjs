import{createRequire as __jitpCR}from'node:module';const require=__jitpCR(import.meta.url);
var isLive=(lease,nowMs=Date.now())=>Date.parse(lease.expiresAt)>nowMs;export{isLive};
