/** The honest placeholder for an area of the portal that does not exist yet. */
export function NotBuiltYet({ area }: { area: string }) {
  return <p className="text-sm text-slate-400">The {area} area is not built yet.</p>;
}
