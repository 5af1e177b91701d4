"""Builds the law's snapshot of a case (zhifa.law.procedure.CaseFacts) from the database."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zhifa.cases.models import Case, Draft, PartyKind
from zhifa.law import procedure


def law_draft(draft: Draft | None) -> procedure.Draft | None:
    if draft is None:
        return None
    return procedure.Draft(
        kinds=set(draft.kinds), fine=draft.fine, confiscation=draft.confiscation, no_penalty=draft.no_penalty,
        facts=draft.facts, evidence_reason=draft.evidence_reason, basis=draft.basis, basis_reason=draft.basis_reason,
        discretion_reason=draft.discretion_reason, digest=draft.digest,
    )


def current_draft(case: Case) -> Draft | None:
    return case.drafts.order_by("-version").first()


def build_facts(case: Case, today: dt.date | None = None) -> procedure.CaseFacts:
    from zhifa.cases.instalments import approved_plan, law_schedule, penalty_config, pending_plan
    from zhifa.review.gate import review_status

    today = today or timezone.localdate()
    draft = current_draft(case)
    party = case.parties.order_by("pk").first()
    officers = [o for o in case.officers.all() if o.valid_credential(today) is not None]
    recusals = case.recusals.filter(granted__isnull=True)
    required, rule, passed = review_status(case, draft)
    law = law_draft(draft)
    return procedure.CaseFacts(
        today=today,
        stage=case.stage,
        procedure=case.procedure,
        filed_on=timezone.localtime(case.opened_at).date(),
        act_ended_on=case.act_ended_on,
        serious_harm=case.serious_harm,
        party_is_person=party is None or party.kind == PartyKind.PERSON,
        party_name=party.name if party else "",
        party_address=party.address if party else "",
        officers_with_valid_credentials=len(officers),
        recusal_pending=recusals.exists(),
        open_measures=case.measures.filter(released_on__isnull=True).count(),
        draft=law,
        review_required=required,
        review_rule=rule,
        review_passed=passed,
        collective_discussion_required=case.collective_discussion_required,
        collective_discussion_done=case.events_of("case.hold_collective_discussion").exists(),
        notified_on=case.notified_on,
        notified_draft=law_draft(case.notified_draft),
        statement_waived=case.statement_waived,
        statements_pending_review=case.statements.filter(accepted__isnull=True).count(),
        hearing_offered=bool(law and procedure.penalties.hearing_offered(
            law.kinds, law.fine, law.confiscation, party is None or party.kind == PartyKind.PERSON)),
        hearing_requested=case.hearing_requested_on is not None,
        hearing_held=case.hearing_held_on is not None,
        hearing_waived=case.hearing_waived,
        decision_extended=case.decision_extended,
        suspended_days=case.suspended_days,
        decided_on=case.decided_on,
        served_on=case.served_on,
        fine_due=case.fine_due(),
        fine_paid=case.fine_paid(),
        instalment_plan=approved_plan(case) is not None,
        instalment_request=law_schedule(pending) if (pending := pending_plan(case)) else None,
        seizure_open=case.measures.filter(kind="seizure", released_on__isnull=True).exists(),
        preservation_open=case.measures.filter(kind="preservation", released_on__isnull=True).exists(),
        remedies_pending=case.remedies.filter(ended_on__isnull=True).count(),
        service_recorded=case.events_of("case.serve").exists(),
        config=penalty_config(),
    )
