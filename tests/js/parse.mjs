// Parse iCalendar text from stdin with Mozilla's ical.js and print what a client would see,
// as JSON, so the Python tests can check our files against an independent parser.
// Times are resolved through the VTIMEZONE blocks in the file itself (ical.js has no zone
// database of its own), which is exactly what a calendar client without Olson names does.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const text = readFileSync(0, "utf8");
const calendar = new ICAL.Component(ICAL.parse(text));

for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone));
}

function propertyInfo(component, name) {
  const property = component.getFirstProperty(name);
  if (!property) return null;
  return {
    value: property.getFirstValue()?.toString() ?? null,
    type: property.type,
    params: property.toJSON()[1],
  };
}

const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  const geo = vevent.getFirstPropertyValue("geo");
  return {
    uid: event.uid,
    sequence: event.sequence,
    summary: event.summary,
    description: event.description,
    location: event.location,
    status: vevent.getFirstPropertyValue("status"),
    startUtc: event.startDate.toJSDate().toISOString(),
    endUtc: event.endDate.toJSDate().toISOString(),
    startTzid: event.startDate.zone.tzid,
    dtstamp: vevent.getFirstPropertyValue("dtstamp")?.toString() ?? null,
    organizer: propertyInfo(vevent, "organizer"),
    geo: geo ?? null,
    attendees: vevent.getAllProperties("attendee").map((property) => ({
      value: property.getFirstValue(),
      params: property.toJSON()[1],
    })),
  };
});

const timezones = calendar.getAllSubcomponents("vtimezone").map((vtimezone) => ({
  tzid: vtimezone.getFirstPropertyValue("tzid"),
  standard: vtimezone.getAllSubcomponents("standard").length,
  daylight: vtimezone.getAllSubcomponents("daylight").length,
}));

process.stdout.write(
  JSON.stringify({
    method: calendar.getFirstPropertyValue("method"),
    name: calendar.getFirstPropertyValue("name"),
    xWrCalname: calendar.getFirstPropertyValue("x-wr-calname"),
    refreshInterval: propertyInfo(calendar, "refresh-interval"),
    publishedTtl: propertyInfo(calendar, "x-published-ttl"),
    timezones,
    events,
  }),
);
