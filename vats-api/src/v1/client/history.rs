//! P1–P5: history and `makecall`.

use super::{Body, Client, to_body};
use crate::v1::types::calls::{MakeCall, MakeCallAnswer};
use crate::v1::types::history::{
    HistoryCsvRow, HistoryQuery, HistoryRecord, InnerHistoryCsvRow, InnerHistoryQuery,
    InnerHistoryRecord,
};
use crate::v1::types::history_csv::{parse_history_csv, parse_inner_history_csv};
use crate::v1::types::list::Page;
use crate::{CallId, Result};
use http::Method;

impl Client {
    /// P1 `GET history/csv`: the external call history as CSV rows (header row or not).
    ///
    /// The period follows vendor document §4.5 (see [`history_range`](crate::v1::history_range)): `period`
    /// beats `start`/`end`; nothing set means today.
    pub async fn history_csv(&self, query: &HistoryQuery) -> Result<Vec<HistoryCsvRow>> {
        let raw = self
            .send(Method::GET, &["history", "csv"], &query.pairs(), Body::None)
            .await?;
        parse_history_csv(&raw.body)
    }

    /// P2 `GET history/json`: the external call history as JSON records. The query's
    /// [`filters`](crate::v1::HistoryFilters) (`diversion`, `user`, …) go on the wire when set;
    /// records are read with `status` in any case and `type` as another name for `direction`.
    pub async fn history_json(&self, query: &HistoryQuery) -> Result<Vec<HistoryRecord>> {
        let page: Page<HistoryRecord> = self
            .json(
                Method::GET,
                &["history", "json"],
                &query.pairs(),
                Body::None,
            )
            .await?;
        Ok(page.items)
    }

    /// P3 `GET history/inner/csv`: the internal call history as CSV rows.
    pub async fn inner_history_csv(
        &self,
        query: &InnerHistoryQuery,
    ) -> Result<Vec<InnerHistoryCsvRow>> {
        let raw = self
            .send(
                Method::GET,
                &["history", "inner", "csv"],
                &query.pairs(),
                Body::None,
            )
            .await?;
        parse_inner_history_csv(&raw.body)
    }

    /// P4 `GET history/inner/json`: the internal call history as JSON records.
    pub async fn inner_history_json(
        &self,
        query: &InnerHistoryQuery,
    ) -> Result<Vec<InnerHistoryRecord>> {
        let page: Page<InnerHistoryRecord> = self
            .json(
                Method::GET,
                &["history", "inner", "json"],
                &query.pairs(),
                Body::None,
            )
            .await?;
        Ok(page.items)
    }

    /// P5 `POST makecall`: rings the employee, then connects the client; returns the call's id.
    ///
    /// `phone` is normalised first (`+7 916 …` → `7916…`, [`MakeCall::normalized`]) and must
    /// then be digits only (checked before sending). The answer is read as
    /// `{"callid":"…"}`, a bare JSON string or plain text.
    ///
    /// Like every request it is retried per the client's [`RetryPolicy`](http_plumbing::RetryPolicy)
    /// (connection errors, timeouts, 5xx, 429); a PBX that failed *after* ringing could then ring
    /// twice — build the client with `RetryPolicy::none()` where at-most-once matters.
    pub async fn make_call(&self, call: &MakeCall) -> Result<CallId> {
        let call = call.clone().normalized();
        call.validate()?;
        let raw = self
            .send(Method::POST, &["makecall"], &[], to_body(&call)?)
            .await?;
        MakeCallAnswer::parse(&raw.body).map(|a| a.callid)
    }
}
