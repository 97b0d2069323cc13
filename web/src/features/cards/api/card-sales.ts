// Sales registration (销售登记) with its charge list, charge and refund receipts (收费收据),
// payment confirmation (收费确认) with the invoice, reversal (反向处理), and report lost (挂失)
// and unfreeze (解挂).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, fileUrl, newIdempotencyKey } from '../../../lib/api/client';
import type { BodyOf, QueryOf, ResponseOf } from '../../../lib/api/types';

export type SaleRequest = BodyOf<'/api/v1/card-sales', 'post'>;
export type Sale = ResponseOf<'/api/v1/card-sales/{id}', 'get'>;
export type SaleQuery = QueryOf<'/api/v1/card-sales', 'get'>;
export type SaleRow = ResponseOf<'/api/v1/card-sales', 'get'>['items'][number];
export type BusinessSource = SaleRequest['business_source'];
export type Receipt = ResponseOf<'/api/v1/receipts/{receipt_no}', 'get'>;
export type ReceiptRequest = BodyOf<'/api/v1/receipts', 'post'>;
export type Confirmation = BodyOf<'/api/v1/receipts/{receipt_no}/confirm', 'post'>;
export type Invoice = ResponseOf<'/api/v1/invoices/{invoice_no}', 'get'>;
export type ReceiptQuery = QueryOf<'/api/v1/receipts', 'get'>;
export type InvoiceQuery = QueryOf<'/api/v1/invoices', 'get'>;
export type RecoveryQuery = QueryOf<'/api/v1/card-recoveries', 'get'>;
export type RecoveryRequest = BodyOf<'/api/v1/card-recoveries', 'post'>;
export type Recovery = ResponseOf<'/api/v1/card-recoveries/{id}', 'get'>;
export type Disposition = RecoveryRequest['disposition'];
export type FrozenCard = ResponseOf<'/api/v1/cards/{serial}/freeze', 'post'>;

export const BUSINESS_SOURCES: readonly BusinessSource[] = ['direct', 'agency', 'broker', 'bancassurance', 'online'];
export const DISPOSITIONS: readonly Disposition[] = ['restock', 'void'];
export const SALE_STATUSES: readonly NonNullable<Sale['status']>[] = ['registered', 'receipted', 'paid', 'reversed'];

// Sales above this many cards carry the server's warning ("try not to do bulk sales").
export const SALE_WARNING_CARDS = 50;
// The most cards one sale (or one reversal) takes.
export const MAX_SALE_CARDS = 1000;

const invalidateCards = (queryClient: ReturnType<typeof useQueryClient>) =>
  void queryClient.invalidateQueries({ queryKey: ['cards'] });

export function useRegisterSale() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (sale: SaleRequest) => api.post('/api/v1/card-sales', sale, { idempotencyKey: newIdempotencyKey() }),
    onSuccess: () => invalidateCards(queryClient),
  });
}

export function useSales(query: SaleQuery) {
  return useQuery({
    queryKey: ['cards', 'sales', query],
    queryFn: ({ signal }) => api.get('/api/v1/card-sales', { query, signal }),
    placeholderData: keepPreviousData,
  });
}

// One sale by id or sales number.
export function useSale(id: string) {
  return useQuery({
    queryKey: ['cards', 'sale', id],
    queryFn: ({ signal }) => api.get('/api/v1/card-sales/{id}', { path: { id }, signal }),
    enabled: id !== '',
    retry: false,
  });
}

export const chargeListUrl = (sale: { id: string }) => fileUrl('/api/v1/card-sales/{id}/charge-list.pdf', { path: { id: sale.id } });
export const receiptPdfUrl = (receiptNo: string) => fileUrl('/api/v1/receipts/{receipt_no}/pdf', { path: { receipt_no: receiptNo } });
export const invoicePdfUrl = (invoiceNo: string) => fileUrl('/api/v1/invoices/{invoice_no}/pdf', { path: { invoice_no: invoiceNo } });

// Issues a charge receipt for a sale ({sales_no}) or a refund receipt for a recovery ({recovery_no}).
export function useIssueReceipt() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: ReceiptRequest) => api.post('/api/v1/receipts', request, { idempotencyKey: newIdempotencyKey() }),
    onSuccess: (receipt) => {
      queryClient.setQueryData(['cards', 'receipt', receipt.receipt_no], receipt);
      invalidateCards(queryClient);
    },
  });
}

export function useReceipt(receiptNo: string) {
  return useQuery({
    queryKey: ['cards', 'receipt', receiptNo],
    queryFn: ({ signal }) => api.get('/api/v1/receipts/{receipt_no}', { path: { receipt_no: receiptNo }, signal }),
    enabled: receiptNo !== '',
    retry: false,
  });
}

// Confirms the funds of a receipt (the amount must equal it): the cards of a charge await
// activation and the invoice is issued; a refund gets its red-letter invoice.
export function useConfirmReceipt() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ receiptNo, confirmation }: { receiptNo: string; confirmation: Confirmation }) =>
      api.post('/api/v1/receipts/{receipt_no}/confirm', confirmation, {
        path: { receipt_no: receiptNo },
        idempotencyKey: newIdempotencyKey(),
      }),
    onSuccess: (answer) => {
      queryClient.setQueryData(['cards', 'receipt', answer.receipt.receipt_no], answer.receipt);
      queryClient.setQueryData(['cards', 'invoice', answer.invoice.invoice_no], answer.invoice);
      invalidateCards(queryClient);
    },
  });
}

// The receipts of the caller's subtree, oldest first (filters kind, status, from/to).
export function useReceipts(query: ReceiptQuery) {
  return useQuery({
    queryKey: ['cards', 'receipts', query],
    queryFn: ({ signal }) => api.get('/api/v1/receipts', { query, signal }),
    placeholderData: keepPreviousData,
  });
}

// The invoices of the caller's subtree, oldest first (filters kind, from/to).
export function useInvoices(query: InvoiceQuery) {
  return useQuery({
    queryKey: ['cards', 'invoices', query],
    queryFn: ({ signal }) => api.get('/api/v1/invoices', { query, signal }),
    placeholderData: keepPreviousData,
  });
}

// The recoveries of the caller's subtree, oldest first (filters disposition, status, from/to).
export function useRecoveries(query: RecoveryQuery) {
  return useQuery({
    queryKey: ['cards', 'recoveries', query],
    queryFn: ({ signal }) => api.get('/api/v1/card-recoveries', { query, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useInvoice(invoiceNo: string) {
  return useQuery({
    queryKey: ['cards', 'invoice', invoiceNo],
    queryFn: ({ signal }) => api.get('/api/v1/invoices/{invoice_no}', { path: { invoice_no: invoiceNo }, signal }),
    enabled: invoiceNo !== '',
    retry: false,
  });
}

export function useRegisterRecovery() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: RecoveryRequest) =>
      api.post('/api/v1/card-recoveries', request, { idempotencyKey: newIdempotencyKey() }),
    onSuccess: (recovery) => {
      queryClient.setQueryData(['cards', 'recovery', recovery.recovery_no], recovery);
      invalidateCards(queryClient);
    },
  });
}

// One recovery by id or recovery number.
export function useRecovery(id: string) {
  return useQuery({
    queryKey: ['cards', 'recovery', id],
    queryFn: ({ signal }) => api.get('/api/v1/card-recoveries/{id}', { path: { id }, signal }),
    enabled: id !== '',
    retry: false,
  });
}

// Reports a card lost (挂失) or lifts the report (解挂).
export function useFreezeCard() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ serial, freeze, reason }: { serial: string; freeze: boolean; reason: string }) =>
      freeze
        ? api.post('/api/v1/cards/{serial}/freeze', { reason }, { path: { serial } })
        : api.post('/api/v1/cards/{serial}/unfreeze', reason ? { reason } : {}, { path: { serial } }),
    onSuccess: () => invalidateCards(queryClient),
  });
}
