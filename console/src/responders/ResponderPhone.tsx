// A responder's phone number as a tel: link, so staff can call with one click. Candidates and
// offers carry only the responder id; the number comes from the live responder list.
import { telHref } from "../lib/format.ts";
import { useStore } from "../store.ts";

export function ResponderPhone({ id }: { id: number | null }) {
  const phone = useStore((s) => (id === null ? undefined : s.responders.get(id)?.phone));
  if (!phone) return null;
  return (
    <a className="tel-link" href={telHref(phone)} data-testid={`responder-phone-${id}`}>
      {phone}
    </a>
  );
}
