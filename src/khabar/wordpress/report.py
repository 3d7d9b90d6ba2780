"""What an import did, by kind: created, updated, unchanged, skipped and why; and what went wrong."""

from collections import Counter
from dataclasses import dataclass, field

KINDS = {
    "author": "الكتّاب",
    "section": "الأقسام",
    "tag": "الوسوم",
    "post": "الأخبار",
    "page": "الصفحات",
    "image": "الصور",
    "comment": "التعليقات",
    "redirect": "التحويلات",
}


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason -> count

    def skip(self, reason):
        self.skipped[reason] += 1

    def as_dict(self):
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": dict(self.skipped),
        }


@dataclass
class Report:
    tallies: dict = field(default_factory=lambda: {kind: Tally() for kind in KINDS})
    problems: list = field(default_factory=list)  # messages that name the post, comment or file line
    fatal: str = ""  # the file could not be read at all
    dry_run: bool = False
    seconds: float = 0.0

    def __getitem__(self, kind):
        return self.tallies[kind]

    def problem(self, message):
        self.problems.append(message)

    @property
    def usable(self):
        """Whether the file gave anything: exit status 0 unless nothing usable was found."""
        if self.fatal:
            return False
        tallies = (self.tallies["post"], self.tallies["page"])
        return any(t.created or t.updated or t.unchanged for t in tallies)

    def as_dict(self):
        return {
            "tallies": {kind: tally.as_dict() for kind, tally in self.tallies.items()},
            "problems": self.problems,
            "fatal": self.fatal,
            "dry_run": self.dry_run,
            "seconds": round(self.seconds, 1),
        }

    def lines(self):
        """The report as text lines, for the command line."""
        if self.fatal:
            return [f"لم يُستورد شيء: {self.fatal}"]
        lines = ["تجربة فقط (--dry-run): لم يُكتب شيء." if self.dry_run else "", "النوع\tجديد\tمحدَّث\tكما هو\tمتروك"]
        for kind, label in KINDS.items():
            tally = self.tallies[kind]
            lines.append(f"{label}\t{tally.created}\t{tally.updated}\t{tally.unchanged}\t{sum(tally.skipped.values())}")
            for reason, count in sorted(tally.skipped.items()):
                lines.append(f"    متروك ({label}): {reason}: {count}")
        if self.problems:
            lines.append(f"ملاحظات ({len(self.problems)}):")
            lines.extend(f"  - {message}" for message in self.problems)
        lines.append(f"المدة: {self.seconds:.1f} ث")
        return [line for line in lines if line]
