"""The proposal's Word documents: the letter (tờ trình), the deliberation minutes (biên bản bình
xét) and the ballot result (biên bản kiểm phiếu), in the Party's format (``apps.reports``).

Their wording is Vietnamese: these are the papers officials sign and send."""

from __future__ import annotations

from django.utils import timezone

from apps.awards.models import Proposal
from apps.core.formats import vn_date, vn_date_long, vn_number
from apps.core.text import vi_collation_key
from apps.reports.party_docx import PartyDocument

__all__ = ["ballot_result_docx", "document_filename", "letter_docx", "minutes_docx"]

KINDS = {"letter": "to-trinh", "minutes": "bien-ban-binh-xet", "ballot": "bien-ban-kiem-phieu"}


def document_filename(proposal: Proposal, kind: str) -> str:
    return f"{KINDS[kind]}-{proposal.year}-{proposal.pk}.docx"


def _place(unit) -> str:
    if unit.province_id:
        return unit.province.name
    return "Hà Nội"


def _issuer(proposal: Proposal) -> dict:
    """Who issues the cluster's papers: the leading unit, for its cluster."""
    if proposal.term_id:
        return {
            "superior_body": proposal.proposer.name,
            "issuing_body": proposal.term.cluster.name,
        }
    return {"issuing_body": proposal.proposer.name}


def _letter_date(proposal: Proposal):
    return timezone.localdate(proposal.submitted_at) if proposal.submitted_at else None


def _signer_title(proposal: Proposal) -> list[str]:
    if proposal.term_id:
        return [f"T/M {proposal.term.cluster.name}", "Đơn vị Cụm trưởng"]
    return [f"T/M {proposal.proposer.short_name}"]


def _awards_phrase(proposal: Proposal) -> str:
    names = []
    for candidate in proposal.candidates.select_related("award_type"):
        name = candidate.award_type.name_for(proposal.receiver)
        if name not in names:
            names.append(name)
    return ", ".join(names) or "khen thưởng"


def letter_docx(proposal: Proposal) -> bytes:
    """Tờ trình đề nghị khen thưởng."""
    doc = PartyDocument()
    doc.header(
        **_issuer(proposal),
        number=proposal.number,
        kind="TTr",
        place=_place(proposal.proposer),
        on=_letter_date(proposal),
    )
    doc.title("Tờ trình", f"đề nghị tặng {_awards_phrase(proposal)} năm {proposal.year}")
    doc.addressed([proposal.receiver.name])
    basis = "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 và các văn bản hướng dẫn thi hành"
    if proposal.deliberated_on:
        where = proposal.term.cluster.name if proposal.term_id else proposal.proposer.name
        basis += (
            f"; căn cứ kết quả bình xét, suy tôn của {where} "
            f"{vn_date_long(proposal.deliberated_on)}"
        )
    doc.paragraph(basis + ",")
    if proposal.achievements:
        for chunk in proposal.achievements.splitlines():
            if chunk.strip():
                doc.paragraph(chunk.strip())
    doc.paragraph(
        f"{proposal.proposer.name} kính đề nghị {proposal.receiver.name} xem xét, tặng "
        f"{_awards_phrase(proposal)} cho {proposal.candidates.count()} tập thể, cá nhân sau:"
    )
    rows = []
    for n, c in enumerate(proposal.candidates.select_related("award_type", "unit"), 1):
        who = c.name + (f" – {c.person_title}" if c.person_title else "")
        vote = f"{c.votes}/{c.electorate}" if c.votes is not None else "—"
        rows.append(
            [str(n), who, c.award_type.name_for(proposal.receiver), c.achievements or "—", vote]
        )
    doc.table(
        ["TT", "Tập thể, cá nhân", "Hình thức đề nghị", "Thành tích", "Phiếu bầu"],
        rows,
        [10, 42, 38, 60, 15],
        align=["c", "l", "l", "l", "c"],
        size=12,
    )
    doc.paragraph(f"Kính đề nghị {proposal.receiver.name} xem xét, quyết định./.")
    doc.signatures(
        left_title=["Nơi nhận:"],
        left_lines=[f"- {proposal.receiver.name},", "- Các đơn vị thành viên,", "- Lưu hồ sơ."],
        right_title=_signer_title(proposal),
        right_name=proposal.signer,
    )
    return doc.to_bytes()


def _tally(proposal: Proposal):
    from apps.voting.selectors import ballot_tally

    return ballot_tally(ballot=proposal.ballot) if proposal.ballot_id else None


def minutes_docx(proposal: Proposal) -> bytes:
    """Biên bản bình xét, suy tôn: who met, the ranking, the vote and the conclusion."""
    from apps.voting.selectors import published_ranking_units

    doc = PartyDocument()
    doc.header(
        **_issuer(proposal),
        kind="BB",
        place=_place(proposal.proposer),
        on=proposal.deliberated_on,
    )
    body = proposal.term.cluster.name if proposal.term_id else proposal.proposer.name
    doc.title("Biên bản", f"bình xét, suy tôn thi đua năm {proposal.year} của {body}")
    when = vn_date_long(proposal.deliberated_on) if proposal.deliberated_on else "ngày ..."
    place = proposal.deliberation_place or "..."
    doc.paragraph(
        f"Hôm nay, {when}, tại {place}, {body} tổ chức hội nghị bình xét, suy tôn thi đua "
        f"năm {proposal.year}."
    )
    doc.heading("I. THÀNH PHẦN")
    doc.paragraph(f"- Chủ trì: {proposal.chair or '...'}.")
    doc.paragraph(f"- Thư ký: {proposal.secretary or '...'}.")
    if proposal.term_id:
        members = sorted(
            (m.unit for m in proposal.term.memberships.select_related("unit")),
            key=lambda u: vi_collation_key(u.short_name),
        )
        doc.paragraph(
            f"- Đại diện {len(members)} đơn vị thành viên: "
            + ", ".join(u.name for u in members)
            + "."
        )
    doc.heading("II. NỘI DUNG")
    ranking = published_ranking_units(term=proposal.term) if proposal.term_id else None
    if ranking:
        from apps.emulation.models import RankingEntry

        totals = {
            e.unit_id: e.total
            for e in RankingEntry.objects.filter(
                period__term=proposal.term, period__ranking_published_at__isnull=False
            )
        }
        doc.paragraph(
            "1. Hội nghị đã nghe báo cáo kết quả tự chấm, chấm chéo và xếp hạng thi đua theo "
            "giao ước; kết quả như sau:"
        )
        doc.table(
            ["Xếp hạng", "Đơn vị", "Tổng điểm"],
            [[str(rank), unit.name, vn_number(totals.get(unit.pk))] for unit, rank in ranking],
            [22, 113, 30],
            align=["c", "l", "r"],
        )
    tally = _tally(proposal)
    if tally is not None:
        doc.paragraph(
            f"2. Hội nghị đã bỏ phiếu kín suy tôn: {tally.question}. Số cử tri: "
            f"{tally.electorate_size}; số phiếu thu vào: {tally.votes_cast}; hợp lệ: "
            f"{tally.valid}. Kết quả chi tiết tại biên bản kiểm phiếu kèm theo."
        )
    doc.heading("III. KẾT LUẬN")
    lines = []
    for c in proposal.candidates.select_related("award_type", "unit"):
        vote = ""
        if c.votes is not None:
            share = vn_number(round(100 * c.votes / c.electorate, 2))
            vote = f" (đạt {c.votes}/{c.electorate} phiếu, {share}%)"
        lines.append(f"- {c.name}: đề nghị tặng {c.award_type.name_for(proposal.receiver)}{vote}.")
    doc.paragraph(f"Hội nghị thống nhất đề nghị {proposal.receiver.name} xem xét, khen thưởng:")
    for line in lines:
        doc.paragraph(line)
    doc.paragraph("Biên bản đã được thông qua tại hội nghị và lập thành hồ sơ đề nghị./.")
    doc.signatures(
        left_title=["Thư ký"],
        left_name=proposal.secretary,
        right_title=["Chủ trì hội nghị"],
        right_name=proposal.chair,
    )
    return doc.to_bytes()


def ballot_result_docx(proposal: Proposal) -> bytes | None:
    """Biên bản kiểm phiếu of the proposal's acclamation vote (None when it has none)."""
    tally = _tally(proposal)
    if tally is None:
        return None
    doc = PartyDocument()
    doc.header(
        **_issuer(proposal),
        kind="BB",
        place=_place(proposal.proposer),
        on=tally.closed_at,
    )
    doc.title("Biên bản kiểm phiếu", f"suy tôn thi đua năm {proposal.year}")
    doc.paragraph(f"Nội dung bỏ phiếu: {tally.question}.")
    opened = vn_date(tally.opened_at) if tally.opened_at else "..."
    closed = vn_date(tally.closed_at) if tally.closed_at else "..."
    doc.paragraph(
        f"Hình thức: bỏ phiếu kín điện tử, mở ngày {opened}, đóng ngày {closed}; mỗi cử tri "
        f"chọn tối đa {tally.ballot.max_choices} đơn vị."
    )
    doc.paragraph(
        f"Số cử tri: {tally.electorate_size}; số phiếu thu vào: {tally.votes_cast} "
        f"({tally.turnout_fraction}); phiếu hợp lệ: {tally.valid}; phiếu không hợp lệ: "
        f"{tally.invalid}; phiếu trắng: {tally.blank}."
    )
    quorum = "đạt" if tally.quorum_met else "không đạt"
    doc.paragraph(
        f"Số phiếu tối thiểu để cuộc bỏ phiếu có giá trị: {tally.quorum_votes} ({quorum}); số "
        f"phiếu tối thiểu để được suy tôn: {tally.threshold_votes}."
    )
    doc.paragraph("Kết quả:", bold=True)
    doc.table(
        ["TT", "Đơn vị", "Số phiếu", "Tỷ lệ", "Kết quả"],
        [
            [
                str(r.position),
                r.unit.name,
                r.fraction,
                f"{vn_number(r.percent)}%",
                "Được suy tôn" if r.elected else "Không đạt",
            ]
            for r in tally.candidates
        ],
        [12, 75, 22, 24, 32],
        align=["c", "l", "c", "r", "c"],
    )
    if tally.published_at:
        doc.paragraph(
            f"Danh sách mã biên nhận và lựa chọn của từng phiếu đã được công bố ngày "
            f"{vn_date(tally.published_at)}; mỗi cử tri có thể tự kiểm tra phiếu của mình và kiểm "
            f"đếm lại kết quả.",
            italic=True,
        )
    doc.signatures(
        left_title=["Thư ký"],
        left_name=proposal.secretary,
        right_title=["Chủ trì hội nghị"],
        right_name=proposal.chair,
    )
    return doc.to_bytes()
