// REST v1 documents (the spec itself, a docs page) and billing (no usage is simulated).
import { loadSpec } from "../specs";
import { RouteTable } from "../wire";

export const miscRoutesV1: RouteTable = {
  "GET /openapi.json": {
    operationId: "GetOpenAPI",
    handle: () => {
      return { status: 200, body: loadSpec("v1") };
    },
  },
  "GET /docs": {
    operationId: "GetDocs",
    handle: () => {
      return {
        status: 200,
        contentType: "text/html; charset=utf-8",
        body: '<!doctype html><title>runpod-emulator v1</title><p>Runpod REST v1 emulator. The spec is at <a href="/v1/openapi.json">/v1/openapi.json</a>.</p>',
      };
    },
  },
  "GET /billing/pods": {
    operationId: "PodBilling",
    handle: () => {
      return { status: 200, body: [] };
    },
  },
  "GET /billing/endpoints": {
    operationId: "EndpointBilling",
    handle: () => {
      return { status: 200, body: [] };
    },
  },
  "GET /billing/networkvolumes": {
    operationId: "NetworkVolumeBilling",
    handle: () => {
      return { status: 200, body: [] };
    },
  },
};
