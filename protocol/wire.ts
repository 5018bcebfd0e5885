// Small building blocks of the wire schemas.
import { z } from "zod";

export const isoDate = z.iso.datetime({ offset: true });
export const lat = z.number().min(-90).max(90);
export const lng = z.number().min(-180).max(180);
export const id = z.number().int();
