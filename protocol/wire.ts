// Small building blocks of the wire schemas.
import { z } from "zod";

export const isoDate = z.iso.datetime({ offset: true });
export const lat = z.number().min(-90).max(90);
export const lng = z.number().min(-180).max(180);
export const id = z.number().int();

/** "08:00": a 24-hour wall-clock time in the platform's time zone. */
export const ClockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected HH:MM");

/** `?page=&pageSize=` of a listing; pages count from 1. */
export const pageQuery = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
};

/** One page of a listing, with the total the filters match. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
