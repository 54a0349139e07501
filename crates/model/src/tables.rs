//! The column definitions of every table.

use std::sync::OnceLock;

use crate::table::{Column, Columns, RowReader, RowWriter, Table};
use crate::{
    Country, Dispute, DisputeEvent, DisputeEventKind, DisputeKind, DisputeStatus, Error,
    EvidenceRow, Meeting, MeetingKind, Person, Recognition, RecognitionKind, Source, TableName,
    Visit, VisitLevel,
};

macro_rules! columns {
    ($build:expr) => {{
        static COLUMNS: OnceLock<Vec<Column>> = OnceLock::new();
        COLUMNS.get_or_init(|| $build.finish())
    }};
}

const NOTES: &str = "Remarks on the record: inferences, resolved relative dates, doubts.";

impl Table for Country {
    const NAME: TableName = TableName::Countries;

    fn columns() -> &'static [Column] {
        columns!(
            Columns::default()
                .id("ISO 3166-1 alpha-3 code (ISO 3166-3 for former countries, e.g. SUN).")
                .text("name", false, "The country's short English name.")
                .text("iso2", true, "ISO 3166-1 alpha-2 code.")
                .integer("cow_code", true, "Correlates of War state number.")
                .text("wikidata", true, "Wikidata item id, e.g. Q17.")
                .text("notes", true, NOTES)
        )
    }

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn write_row<'a>(&'a self, row: &mut RowWriter<'a>) {
        row.country(&self.id);
        row.text(&self.name);
        row.opt_text(self.iso2.as_deref());
        row.opt_int(self.cow_code.map(i64::from));
        row.opt_text(self.wikidata.as_deref());
        row.opt_text(self.notes.as_deref());
    }

    fn read_row(row: &RowReader<'_, '_>) -> Result<Self, Error> {
        Ok(Self {
            id: row.get("id")?,
            name: row.get("name")?,
            iso2: row.opt("iso2")?,
            cow_code: row.opt("cow_code")?,
            wikidata: row.opt("wikidata")?,
            notes: row.opt("notes")?,
        })
    }
}

impl Table for Person {
    const NAME: TableName = TableName::People;

    fn columns() -> &'static [Column] {
        columns!(
            Columns::default()
                .id("Stable id, e.g. hashimoto-ryutaro.")
                .text("name", false, "The name as the sources spell it.")
                .list(
                    "other_names",
                    "Other spellings and forms of the name that the sources use."
                )
                .country("country", false, "The country the person served.")
                .text("notes", true, NOTES)
        )
    }

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn write_row<'a>(&'a self, row: &mut RowWriter<'a>) {
        row.text(self.id.as_str());
        row.text(&self.name);
        row.list(self.other_names.iter().map(String::as_str));
        row.country(&self.country);
        row.opt_text(self.notes.as_deref());
    }

    fn read_row(row: &RowReader<'_, '_>) -> Result<Self, Error> {
        Ok(Self {
            id: row.get("id")?,
            name: row.get("name")?,
            other_names: row.list("other_names")?,
            country: row.get("country")?,
            notes: row.opt("notes")?,
        })
    }
}

impl Table for Source {
    const NAME: TableName = TableName::Sources;

    fn columns() -> &'static [Column] {
        columns!(
            Columns::default()
                .id("Stable id of the source document.")
                .text("title", false, "The document's title.")
                .text("publisher", false, "Who published the document.")
                .date(
                    "published",
                    false,
                    "When the document was published, as precisely as it states."
                )
                .text(
                    "url",
                    true,
                    "Where the document was published, where it names its own address."
                )
                .text(
                    "file",
                    false,
                    "The archived text's path in the dataset's repository."
                )
                .text(
                    "sha256",
                    false,
                    "SHA-256 of the archived text, lower-case hex."
                )
                .text(
                    "rights",
                    false,
                    "The terms under which the document is quoted."
                )
                .text("language", true, "The document's language (BCP 47).")
                .text(
                    "notes",
                    true,
                    "Remarks on the source, such as damage to its text."
                )
        )
    }

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn write_row<'a>(&'a self, row: &mut RowWriter<'a>) {
        row.text(self.id.as_str());
        row.text(&self.title);
        row.text(&self.publisher);
        row.date(&self.published);
        row.opt_text(self.url.as_deref());
        row.text(&self.file);
        row.text(&self.sha256);
        row.text(&self.rights);
        row.opt_text(self.language.as_deref());
        row.opt_text(self.notes.as_deref());
    }

    fn read_row(row: &RowReader<'_, '_>) -> Result<Self, Error> {
        Ok(Self {
            id: row.get("id")?,
            title: row.get("title")?,
            publisher: row.get("publisher")?,
            published: row.get("published")?,
            url: row.opt("url")?,
            file: row.get("file")?,
            sha256: row.get("sha256")?,
            rights: row.get("rights")?,
            language: row.opt("language")?,
            notes: row.opt("notes")?,
        })
    }
}

impl Table for Visit {
    const NAME: TableName = TableName::Visits;

    fn columns() -> &'static [Column] {
        columns!(
            Columns::default()
                .id("Stable id of the visit.")
                .date(
                    "date",
                    false,
                    "When the visit took place, as precisely as the source states."
                )
                .country("guest_country", false, "The visitor's country.")
                .country("host_country", false, "The country visited.")
                .reference(
                    "guest_person",
                    true,
                    TableName::People,
                    "The visitor, where the source names them."
                )
                .text(
                    "guest_office",
                    false,
                    "The visitor's office as the source states it."
                )
                .vocabulary::<VisitLevel>("level", "The visitor's rank.")
                .text(
                    "summary",
                    false,
                    "What the visit was, in the dataset's own words."
                )
                .text("notes", true, NOTES)
        )
    }

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn write_row<'a>(&'a self, row: &mut RowWriter<'a>) {
        row.text(self.id.as_str());
        row.date(&self.date);
        row.country(&self.guest_country);
        row.country(&self.host_country);
        row.opt_text(self.guest_person.as_ref().map(|p| p.as_str()));
        row.text(&self.guest_office);
        row.text(self.level.as_str());
        row.text(&self.summary);
        row.opt_text(self.notes.as_deref());
    }

    fn read_row(row: &RowReader<'_, '_>) -> Result<Self, Error> {
        Ok(Self {
            id: row.get("id")?,
            date: row.get("date")?,
            guest_country: row.get("guest_country")?,
            host_country: row.get("host_country")?,
            guest_person: row.opt("guest_person")?,
            guest_office: row.get("guest_office")?,
            level: row.get("level")?,
            summary: row.get("summary")?,
            notes: row.opt("notes")?,
            evidence: Vec::new(),
        })
    }
}

impl Table for Meeting {
    const NAME: TableName = TableName::Meetings;

    fn columns() -> &'static [Column] {
        columns!(Columns::default()
            .id("Stable id of the meeting.")
            .date("date", false, "When the meeting took place, as precisely as the source states.")
            .country("location_country", true, "The country where it took place, where the source says.")
            .text("location", true, "The place as the source states it.")
            .list("participants", "Who took part: people ids, or COUNTRY:office where the source names only the office.")
            .vocabulary::<MeetingKind>("kind", "The kind of meeting.")
            .reference("visit", true, TableName::Visits, "The visit during which the meeting took place.")
            .text("summary", false, "What the meeting was, in the dataset's own words.")
            .text("notes", true, NOTES))
    }

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn write_row<'a>(&'a self, row: &mut RowWriter<'a>) {
        row.text(self.id.as_str());
        row.date(&self.date);
        row.opt_country(self.location_country.as_ref());
        row.opt_text(self.location.as_deref());
        row.list(self.participants.iter().map(|p| match p {
            crate::Participant::Person(id) => std::borrow::Cow::Borrowed(id.as_str()),
            office => std::borrow::Cow::Owned(office.to_string()),
        }));
        row.text(self.kind.as_str());
        row.opt_text(self.visit.as_ref().map(|v| v.as_str()));
        row.text(&self.summary);
        row.opt_text(self.notes.as_deref());
    }

    fn read_row(row: &RowReader<'_, '_>) -> Result<Self, Error> {
        Ok(Self {
            id: row.get("id")?,
            date: row.get("date")?,
            location_country: row.opt("location_country")?,
            location: row.opt("location")?,
            participants: row.list("participants")?,
            kind: row.get("kind")?,
            visit: row.opt("visit")?,
            summary: row.get("summary")?,
            notes: row.opt("notes")?,
            evidence: Vec::new(),
        })
    }
}

impl Table for Recognition {
    const NAME: TableName = TableName::Recognitions;

    fn columns() -> &'static [Column] {
        columns!(
            Columns::default()
                .id("Stable id of the recognition.")
                .date(
                    "date",
                    false,
                    "When it happened, as precisely as the source states."
                )
                .country(
                    "actor_country",
                    false,
                    "The country that acts: recognises, opens an embassy."
                )
                .country(
                    "subject_country",
                    false,
                    "The country acted towards: recognised, where the embassy opens."
                )
                .vocabulary::<RecognitionKind>("kind", "What happened.")
                .text(
                    "summary",
                    true,
                    "What happened, in the dataset's own words."
                )
                .text("notes", true, NOTES)
        )
    }

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn write_row<'a>(&'a self, row: &mut RowWriter<'a>) {
        row.text(self.id.as_str());
        row.date(&self.date);
        row.country(&self.actor_country);
        row.country(&self.subject_country);
        row.text(self.kind.as_str());
        row.opt_text(self.summary.as_deref());
        row.opt_text(self.notes.as_deref());
    }

    fn read_row(row: &RowReader<'_, '_>) -> Result<Self, Error> {
        Ok(Self {
            id: row.get("id")?,
            date: row.get("date")?,
            actor_country: row.get("actor_country")?,
            subject_country: row.get("subject_country")?,
            kind: row.get("kind")?,
            summary: row.opt("summary")?,
            notes: row.opt("notes")?,
            evidence: Vec::new(),
        })
    }
}

impl Table for Dispute {
    const NAME: TableName = TableName::Disputes;

    fn columns() -> &'static [Column] {
        columns!(
            Columns::default()
                .id("Stable id of the dispute.")
                .text("name", false, "The dispute's name.")
                .list("other_names", "Other names the sources use.")
                .vocabulary::<DisputeKind>("kind", "The kind of dispute.")
                .list("parties", "The countries party to it (alpha-3 codes).")
                .vocabulary::<DisputeStatus>(
                    "status",
                    "Its state, as the sources state it as of their dates."
                )
                .text(
                    "summary",
                    true,
                    "What the dispute is about, in the dataset's own words."
                )
                .text("notes", true, NOTES)
        )
    }

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn write_row<'a>(&'a self, row: &mut RowWriter<'a>) {
        row.text(self.id.as_str());
        row.text(&self.name);
        row.list(self.other_names.iter().map(String::as_str));
        row.text(self.kind.as_str());
        row.list(self.parties.iter().map(|c| c.as_str()));
        row.text(self.status.as_str());
        row.opt_text(self.summary.as_deref());
        row.opt_text(self.notes.as_deref());
    }

    fn read_row(row: &RowReader<'_, '_>) -> Result<Self, Error> {
        Ok(Self {
            id: row.get("id")?,
            name: row.get("name")?,
            other_names: row.list("other_names")?,
            kind: row.get("kind")?,
            parties: row.list("parties")?,
            status: row.get("status")?,
            summary: row.opt("summary")?,
            notes: row.opt("notes")?,
            evidence: Vec::new(),
        })
    }
}

impl Table for DisputeEvent {
    const NAME: TableName = TableName::DisputeEvents;

    fn columns() -> &'static [Column] {
        columns!(
            Columns::default()
                .id("Stable id of the event.")
                .reference("dispute", false, TableName::Disputes, "The dispute.")
                .date("date", true, "When it happened, where the source says.")
                .vocabulary::<DisputeEventKind>("kind", "The kind of event.")
                .country(
                    "actor_country",
                    false,
                    "The country that acts or states the position."
                )
                .country(
                    "counterpart_country",
                    true,
                    "The other side, where there is one."
                )
                .reference(
                    "meeting",
                    true,
                    TableName::Meetings,
                    "The meeting at which it happened."
                )
                .text(
                    "summary",
                    false,
                    "What happened, in the dataset's own words."
                )
                .text("notes", true, NOTES)
        )
    }

    fn id(&self) -> &str {
        self.id.as_str()
    }

    fn write_row<'a>(&'a self, row: &mut RowWriter<'a>) {
        row.text(self.id.as_str());
        row.text(self.dispute.as_str());
        row.opt_date(self.date.as_ref());
        row.text(self.kind.as_str());
        row.country(&self.actor_country);
        row.opt_country(self.counterpart_country.as_ref());
        row.opt_text(self.meeting.as_ref().map(|m| m.as_str()));
        row.text(&self.summary);
        row.opt_text(self.notes.as_deref());
    }

    fn read_row(row: &RowReader<'_, '_>) -> Result<Self, Error> {
        Ok(Self {
            id: row.get("id")?,
            dispute: row.get("dispute")?,
            date: row.opt("date")?,
            kind: row.get("kind")?,
            actor_country: row.get("actor_country")?,
            counterpart_country: row.opt("counterpart_country")?,
            meeting: row.opt("meeting")?,
            summary: row.get("summary")?,
            notes: row.opt("notes")?,
            evidence: Vec::new(),
        })
    }
}

impl Table for EvidenceRow {
    const NAME: TableName = TableName::Evidence;

    fn columns() -> &'static [Column] {
        columns!(
            Columns::default()
                .id("<record>/<n>: the record's id and the quote's position among its quotes.")
                .vocabulary::<TableName>("table", "The table of the record supported.")
                .text(
                    "record",
                    false,
                    "The id of the record supported (a key of `table`)."
                )
                .integer(
                    "position",
                    false,
                    "The quote's 1-based position among the record's quotes."
                )
                .reference(
                    "source",
                    false,
                    TableName::Sources,
                    "The id of the source quoted."
                )
                .text("quote", false, "The words of the source, verbatim.")
        )
    }

    fn id(&self) -> &str {
        &self.id
    }

    fn write_row<'a>(&'a self, row: &mut RowWriter<'a>) {
        row.text(&self.id);
        row.text(self.table.as_str());
        row.text(self.record.as_str());
        row.opt_int(Some(i64::from(self.position)));
        row.text(self.source.as_str());
        row.text(&self.quote);
    }

    fn read_row(row: &RowReader<'_, '_>) -> Result<Self, Error> {
        Ok(Self {
            id: row.get("id")?,
            table: row.get("table")?,
            record: row.get("record")?,
            position: row.get("position")?,
            source: row.get("source")?,
            quote: row.get("quote")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T: Table>() {
        let cols = T::columns();
        assert_eq!(cols[0].name, "id");
        let mut names: Vec<&str> = cols.iter().map(|c| c.name.as_ref()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), cols.len(), "duplicate column in {}", T::NAME);
        assert!(cols.iter().all(|c| !c.description.is_empty()));
    }

    #[test]
    fn column_lists_are_well_formed() {
        check::<Country>();
        check::<Person>();
        check::<Source>();
        check::<Visit>();
        check::<Meeting>();
        check::<Recognition>();
        check::<Dispute>();
        check::<DisputeEvent>();
        check::<EvidenceRow>();
    }
}
