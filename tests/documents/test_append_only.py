"""Issued documents and signatures are append-only, as the record: the database refuses UPDATE and DELETE."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from tests.documents.conftest import png_signature
from zhifa.documents import actions
from zhifa.documents.kinds import DocumentKind as K
from zhifa.documents.models import Document, DocumentSignature


def test_documents_and_signatures_cannot_be_changed_or_deleted(case, officer):
    document = actions.issue_document(case, K.CASE_SOURCE, officer)
    actions.record_signature(document, officer, signer_kind="officer", image_png=png_signature())
    for queryset, change in ((Document.objects.filter(pk=document.pk), {"number": "渌市监罚〔2026〕99号"}),
                             (DocumentSignature.objects.filter(document=document), {"name": "别人"})):
        with pytest.raises(DatabaseError), transaction.atomic():
            queryset.update(**change)
        with pytest.raises(DatabaseError), transaction.atomic():
            queryset.delete()
    assert Document.objects.get(pk=document.pk).number == document.number
