import { radarLiveHub } from "@/server/drift/radar-live-hub";
import { errorResponse } from "@/server/http/json-response";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/radar/stream: server-sent events for the radar page. Each `snapshot` event carries the whole radar
 * snapshot (server/drift/radar-snapshot.ts), pushed when the radar has worked or an operator acted; a comment line
 * every 15 s keeps proxies from closing an idle stream.
 */
export async function GET(request: Request): Promise<Response> {
  const encoder = new TextEncoder();
  let cleanup: (() => void) | null = null;
  try {
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (text: string) => {
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            cleanup?.();
          }
        };
        const unsubscribe = await radarLiveHub().subscribe((snapshot) => send(`event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`));
        const keepAlive = setInterval(() => send(": keep-alive\n\n"), 15_000);
        cleanup = () => {
          clearInterval(keepAlive);
          unsubscribe();
        };
        request.signal.addEventListener("abort", () => {
          cleanup?.();
          try {
            controller.close();
          } catch {
            // already closed
          }
        });
      },
      cancel() {
        cleanup?.();
      },
    });
    return new Response(stream, {
      headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store, no-transform", connection: "keep-alive", "x-accel-buffering": "no" },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
