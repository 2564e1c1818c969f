/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment SegmentRowFields on Segment {\n    id\n    name\n    version\n    format\n    target\n    fileName\n    size\n    isLocal\n    createdAt\n    deleted\n    deleteStatus\n    deleteError\n    installedSeatCount\n    sync {\n      status\n      attempts\n      lastError\n      nextAttemptAt\n    }\n    ...SegmentBadgeFields\n  }\n": typeof types.SegmentRowFieldsFragmentDoc,
    "\n  fragment LogProgressFields on InstallLog {\n    recordId\n    status\n    percent\n    startedAt\n    finishedAt\n    timedOutAt\n    summary {\n      total\n      pending\n      running\n      succeeded\n      failed\n    }\n  }\n": typeof types.LogProgressFieldsFragmentDoc,
    "\n  fragment InstallSeatFields on InstallLogSeat {\n    seatName\n    action\n    state\n    percent\n    error\n  }\n": typeof types.InstallSeatFieldsFragmentDoc,
    "\n  fragment InstallRecordFields on InstallRecord {\n    id\n    status\n    error\n    createdAt\n    finishedAt\n    installSeatNames\n    uninstallSeatNames\n  }\n": typeof types.InstallRecordFieldsFragmentDoc,
    "\n  query SegmentDetail($id: ID!) {\n    segment(id: $id) {\n      ...SegmentRowFields\n      ...SegmentTrustViewFields\n      description\n      sha256\n      seats {\n        id\n        name\n      }\n      versions {\n        id\n        version\n        sync {\n          status\n        }\n      }\n      installRecords {\n        ...InstallRecordFields\n      }\n    }\n  }\n": typeof types.SegmentDetailDocument,
    "\n  subscription SegmentChanged {\n    segmentUpdated {\n      ...SegmentRowFields\n    }\n  }\n": typeof types.SegmentChangedDocument,
    "\n  mutation CreateUploadSession($input: UploadSessionInput!) {\n    createUploadSession(input: $input) {\n      __typename\n      ... on CreateUploadSessionSuccess {\n        session {\n          id\n          uploadUrl\n          token\n          offset\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.CreateUploadSessionDocument,
    "\n  mutation RenewUploadSession($id: ID!) {\n    renewUploadSession(id: $id) {\n      __typename\n      ... on RenewUploadSessionSuccess {\n        session {\n          id\n          uploadUrl\n          token\n          offset\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.RenewUploadSessionDocument,
    "\n  mutation CompleteUploadSession($id: ID!) {\n    completeUploadSession(id: $id) {\n      __typename\n      ... on UploadSegmentSuccess {\n        segment {\n          ...SegmentRowFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.CompleteUploadSessionDocument,
    "\n  mutation DeleteSegmentById($id: ID!) {\n    deleteSegment(id: $id) {\n      __typename\n      ... on DeleteSegmentSuccess {\n        segment {\n          ...SegmentRowFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.DeleteSegmentByIdDocument,
    "\n  mutation RetrySync($id: ID!) {\n    retrySegmentSync(id: $id) {\n      __typename\n      ... on RetrySegmentSyncSuccess {\n        segment {\n          ...SegmentRowFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.RetrySyncDocument,
    "\n  query SeatsPage($first: Int, $after: String) {\n    seats(first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          ip\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.SeatsPageDocument,
    "\n  mutation AddSeats($seats: [SeatInput!]!) {\n    upsertSeats(seats: $seats) {\n      __typename\n      ... on UpsertSeatsSuccess {\n        seats {\n          id\n          name\n          ip\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.AddSeatsDocument,
    "\n  mutation StartInstall($id: ID!, $seatIds: [ID!]!) {\n    installSegment(id: $id, seatIds: $seatIds) {\n      __typename\n      ... on InstallSegmentSuccess {\n        record {\n          ...InstallRecordFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on InstallInProgressError {\n        recordId\n      }\n    }\n  }\n": typeof types.StartInstallDocument,
    "\n  query InstallRecordLog($id: ID!) {\n    installRecord(id: $id) {\n      ...InstallRecordFields\n      log {\n        ...LogProgressFields\n        seats {\n          ...InstallSeatFields\n        }\n      }\n    }\n  }\n": typeof types.InstallRecordLogDocument,
    "\n  subscription InstallLogLive($recordId: ID!) {\n    installLogUpdated(recordId: $recordId) {\n      ...LogProgressFields\n      changedSeats {\n        ...InstallSeatFields\n      }\n    }\n  }\n": typeof types.InstallLogLiveDocument,
    "\n  query SegmentsPage($first: Int, $after: String, $filter: SegmentFilter) {\n    segments(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        node {\n          ...SegmentRowFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.SegmentsPageDocument,
    "\n  query SegmentDownloadLink($id: ID!) {\n    segment(id: $id) {\n      id\n      downloadUrl\n    }\n  }\n": typeof types.SegmentDownloadLinkDocument,
    "\n  query LabelledSeatsPage($first: Int, $after: String, $selector: String) {\n    seats(first: $first, after: $after, selector: $selector) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          ip\n          createdAt\n          description\n          labels {\n            key\n            value\n          }\n          groups\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.LabelledSeatsPageDocument,
    "\n  mutation RelabelSeats($selector: String, $set: [LabelInput!], $remove: [String!]) {\n    setSeatLabels(selector: $selector, set: $set, remove: $remove) {\n      __typename\n      ... on SetSeatLabelsSuccess {\n        matchedCount\n        changedCount\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.RelabelSeatsDocument,
    "\n  query SeatGroupList {\n    seatGroups {\n      name\n      selector\n      protected\n      description\n      seatCount\n      desiredVersions {\n        name\n        version\n        drift\n        convergeError\n      }\n    }\n  }\n": typeof types.SeatGroupListDocument,
    "\n  query SeatGroupMembers($name: String!, $first: Int, $after: String) {\n    seatGroup(name: $name) {\n      name\n      seats(first: $first, after: $after) {\n        totalCount\n        edges {\n          node {\n            id\n            name\n            ip\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.SeatGroupMembersDocument,
    "\n  mutation SaveSeatGroup($input: SeatGroupInput!) {\n    upsertSeatGroup(input: $input) {\n      __typename\n      ... on UpsertSeatGroupSuccess {\n        group {\n          name\n          seatCount\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.SaveSeatGroupDocument,
    "\n  query SeatIdsBySelector($selector: String, $after: String) {\n    seats(first: 500, after: $after, selector: $selector) {\n      edges {\n        node {\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.SeatIdsBySelectorDocument,
    "\n  query GroupSeatIds($name: String!, $after: String) {\n    seatGroup(name: $name) {\n      # Nested lists cost more under the query-cost limit than top-level ones: smaller pages.\n      seats(first: 200, after: $after) {\n        edges {\n          node {\n            id\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.GroupSeatIdsDocument,
    "\n  mutation CreateRolloutRequest($input: RolloutInput!) {\n    createRollout(input: $input) {\n      __typename\n      ... on CreateRolloutSuccess {\n        rollout {\n          id\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.CreateRolloutRequestDocument,
    "\n  mutation ApproveRolloutRequest($id: ID!, $note: String) {\n    approveRollout(id: $id, note: $note) {\n      __typename\n      ... on ApproveRolloutSuccess {\n        rollout {\n          ...RolloutViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.ApproveRolloutRequestDocument,
    "\n  mutation PauseRolloutRequest($id: ID!, $reason: String!) {\n    pauseRollout(id: $id, reason: $reason) {\n      __typename\n      ... on PauseRolloutSuccess {\n        rollout {\n          ...RolloutViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.PauseRolloutRequestDocument,
    "\n  mutation ResumeRolloutRequest($id: ID!) {\n    resumeRollout(id: $id) {\n      __typename\n      ... on ResumeRolloutSuccess {\n        rollout {\n          ...RolloutViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.ResumeRolloutRequestDocument,
    "\n  mutation CancelRolloutRequest($id: ID!, $reason: String!) {\n    cancelRollout(id: $id, reason: $reason) {\n      __typename\n      ... on CancelRolloutSuccess {\n        rollout {\n          ...RolloutViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.CancelRolloutRequestDocument,
    "\n  mutation RollbackRolloutRequest($id: ID!, $reason: String!) {\n    rollbackRollout(id: $id, reason: $reason) {\n      __typename\n      ... on RollbackRolloutSuccess {\n        rollout {\n          ...RolloutViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.RollbackRolloutRequestDocument,
    "\n  fragment RolloutViewFields on Rollout {\n    id\n    segmentName\n    version\n    group\n    selector\n    state\n    currentWave\n    percent\n    pausedReason\n    pausedCause\n    error\n    createdBy\n    createdAt\n    startedAt\n    finishedAt\n    nextWaveAt\n    maxFailurePercent\n    onFailure\n    waves {\n      index\n      seatCount\n      state\n      succeeded\n      failed\n      soakSeconds\n      soakUntil\n      requireApproval\n    }\n    summary {\n      total\n      pending\n      running\n      succeeded\n      failed\n      timedOut\n      rolledBack\n      notReverted\n      skipped\n    }\n    rollback {\n      by\n      reason\n      steps\n      stepsDone\n    }\n    approvals {\n      wave\n      by\n      at\n      note\n    }\n    events {\n      at\n      by\n      kind\n      message\n    }\n  }\n": typeof types.RolloutViewFieldsFragmentDoc,
    "\n  query RolloutById($id: ID!) {\n    rollout(id: $id) {\n      ...RolloutViewFields\n    }\n  }\n": typeof types.RolloutByIdDocument,
    "\n  subscription RolloutLive($id: ID!) {\n    rolloutUpdated(id: $id) {\n      ...RolloutViewFields\n    }\n  }\n": typeof types.RolloutLiveDocument,
    "\n  query RolloutSeatsPage($id: ID!, $first: Int, $after: String, $state: RolloutSeatState) {\n    rollout(id: $id) {\n      id\n      seats(first: $first, after: $after, state: $state) {\n        totalCount\n        nodes {\n          seatName\n          wave\n          state\n          attempts\n          fromVersions\n          error\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.RolloutSeatsPageDocument,
    "\n  query RolloutsPage($first: Int, $after: String, $filter: RolloutFilter) {\n    rollouts(first: $first, after: $after, filter: $filter, newestFirst: true) {\n      nodes {\n        id\n        segmentName\n        version\n        group\n        selector\n        state\n        percent\n        createdBy\n        createdAt\n        finishedAt\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.RolloutsPageDocument,
    "\n  query SyncedSegmentChoices {\n    segments(first: 200, filter: { syncStatus: SYNCED, deleteStatus: NONE }) {\n      edges {\n        node {\n          id\n          name\n          version\n        }\n      }\n    }\n  }\n": typeof types.SyncedSegmentChoicesDocument,
    "\n  query PreviewRolloutSizes($input: RolloutInput!) {\n    previewRollout(input: $input) {\n      seatCount\n      skipped\n      firstWindowAt\n      waves {\n        index\n        seatCount\n      }\n    }\n  }\n": typeof types.PreviewRolloutSizesDocument,
    "\n  fragment SegmentBadgeFields on Segment {\n    lifecycle\n    integrity {\n      status\n      checkedAt\n      reason\n    }\n  }\n": typeof types.SegmentBadgeFieldsFragmentDoc,
    "\n  fragment SegmentTrustViewFields on Segment {\n    id\n    ...SegmentBadgeFields\n    signatureStatus\n    signatures {\n      keyId\n      signedAt\n      valid\n      reason\n      key {\n        label\n        keyId\n      }\n    }\n    promotion {\n      tested\n      testedAt\n      testSeats\n      reasons\n    }\n    releasedAt\n    releasedBy\n    releaseNote\n    deprecatedReason\n  }\n": typeof types.SegmentTrustViewFieldsFragmentDoc,
    "\n  mutation MarkSegmentTestedRequest($id: ID!, $reason: String!) {\n    markSegmentTested(id: $id, reason: $reason) {\n      __typename\n      ... on MarkSegmentTestedSuccess {\n        segment {\n          ...SegmentTrustViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.MarkSegmentTestedRequestDocument,
    "\n  mutation ReleaseSegmentRequest($id: ID!, $note: String) {\n    releaseSegment(id: $id, note: $note) {\n      __typename\n      ... on ReleaseSegmentSuccess {\n        segment {\n          ...SegmentTrustViewFields\n        }\n      }\n      ... on SegmentNotTestedError {\n        reasons\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.ReleaseSegmentRequestDocument,
    "\n  mutation DeprecateSegmentRequest($id: ID!, $reason: String!) {\n    deprecateSegment(id: $id, reason: $reason) {\n      __typename\n      ... on DeprecateSegmentSuccess {\n        segment {\n          ...SegmentTrustViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.DeprecateSegmentRequestDocument,
    "\n  mutation VerifySegmentFileRequest($id: ID!) {\n    verifySegmentFile(id: $id) {\n      __typename\n      ... on VerifySegmentFileSuccess {\n        segment {\n          ...SegmentTrustViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.VerifySegmentFileRequestDocument,
    "\n  fragment SigningKeyRowFields on SigningKey {\n    keyId\n    algorithm\n    label\n    addedAt\n    notAfter\n    revokedAt\n    revokeReason\n  }\n": typeof types.SigningKeyRowFieldsFragmentDoc,
    "\n  query SigningKeyList {\n    signingKeys {\n      ...SigningKeyRowFields\n    }\n  }\n": typeof types.SigningKeyListDocument,
    "\n  mutation AddSigningKeyRequest($publicKeyPem: String!, $label: String!, $notAfter: DateTime) {\n    addSigningKey(publicKeyPem: $publicKeyPem, label: $label, notAfter: $notAfter) {\n      __typename\n      ... on AddSigningKeySuccess {\n        key {\n          ...SigningKeyRowFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.AddSigningKeyRequestDocument,
    "\n  mutation RevokeSigningKeyRequest($keyId: String!, $reason: String!) {\n    revokeSigningKey(keyId: $keyId, reason: $reason) {\n      __typename\n      ... on RevokeSigningKeySuccess {\n        key {\n          ...SigningKeyRowFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.RevokeSigningKeyRequestDocument,
};
const documents: Documents = {
    "\n  fragment SegmentRowFields on Segment {\n    id\n    name\n    version\n    format\n    target\n    fileName\n    size\n    isLocal\n    createdAt\n    deleted\n    deleteStatus\n    deleteError\n    installedSeatCount\n    sync {\n      status\n      attempts\n      lastError\n      nextAttemptAt\n    }\n    ...SegmentBadgeFields\n  }\n": types.SegmentRowFieldsFragmentDoc,
    "\n  fragment LogProgressFields on InstallLog {\n    recordId\n    status\n    percent\n    startedAt\n    finishedAt\n    timedOutAt\n    summary {\n      total\n      pending\n      running\n      succeeded\n      failed\n    }\n  }\n": types.LogProgressFieldsFragmentDoc,
    "\n  fragment InstallSeatFields on InstallLogSeat {\n    seatName\n    action\n    state\n    percent\n    error\n  }\n": types.InstallSeatFieldsFragmentDoc,
    "\n  fragment InstallRecordFields on InstallRecord {\n    id\n    status\n    error\n    createdAt\n    finishedAt\n    installSeatNames\n    uninstallSeatNames\n  }\n": types.InstallRecordFieldsFragmentDoc,
    "\n  query SegmentDetail($id: ID!) {\n    segment(id: $id) {\n      ...SegmentRowFields\n      ...SegmentTrustViewFields\n      description\n      sha256\n      seats {\n        id\n        name\n      }\n      versions {\n        id\n        version\n        sync {\n          status\n        }\n      }\n      installRecords {\n        ...InstallRecordFields\n      }\n    }\n  }\n": types.SegmentDetailDocument,
    "\n  subscription SegmentChanged {\n    segmentUpdated {\n      ...SegmentRowFields\n    }\n  }\n": types.SegmentChangedDocument,
    "\n  mutation CreateUploadSession($input: UploadSessionInput!) {\n    createUploadSession(input: $input) {\n      __typename\n      ... on CreateUploadSessionSuccess {\n        session {\n          id\n          uploadUrl\n          token\n          offset\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.CreateUploadSessionDocument,
    "\n  mutation RenewUploadSession($id: ID!) {\n    renewUploadSession(id: $id) {\n      __typename\n      ... on RenewUploadSessionSuccess {\n        session {\n          id\n          uploadUrl\n          token\n          offset\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.RenewUploadSessionDocument,
    "\n  mutation CompleteUploadSession($id: ID!) {\n    completeUploadSession(id: $id) {\n      __typename\n      ... on UploadSegmentSuccess {\n        segment {\n          ...SegmentRowFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.CompleteUploadSessionDocument,
    "\n  mutation DeleteSegmentById($id: ID!) {\n    deleteSegment(id: $id) {\n      __typename\n      ... on DeleteSegmentSuccess {\n        segment {\n          ...SegmentRowFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.DeleteSegmentByIdDocument,
    "\n  mutation RetrySync($id: ID!) {\n    retrySegmentSync(id: $id) {\n      __typename\n      ... on RetrySegmentSyncSuccess {\n        segment {\n          ...SegmentRowFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.RetrySyncDocument,
    "\n  query SeatsPage($first: Int, $after: String) {\n    seats(first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          ip\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.SeatsPageDocument,
    "\n  mutation AddSeats($seats: [SeatInput!]!) {\n    upsertSeats(seats: $seats) {\n      __typename\n      ... on UpsertSeatsSuccess {\n        seats {\n          id\n          name\n          ip\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.AddSeatsDocument,
    "\n  mutation StartInstall($id: ID!, $seatIds: [ID!]!) {\n    installSegment(id: $id, seatIds: $seatIds) {\n      __typename\n      ... on InstallSegmentSuccess {\n        record {\n          ...InstallRecordFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on InstallInProgressError {\n        recordId\n      }\n    }\n  }\n": types.StartInstallDocument,
    "\n  query InstallRecordLog($id: ID!) {\n    installRecord(id: $id) {\n      ...InstallRecordFields\n      log {\n        ...LogProgressFields\n        seats {\n          ...InstallSeatFields\n        }\n      }\n    }\n  }\n": types.InstallRecordLogDocument,
    "\n  subscription InstallLogLive($recordId: ID!) {\n    installLogUpdated(recordId: $recordId) {\n      ...LogProgressFields\n      changedSeats {\n        ...InstallSeatFields\n      }\n    }\n  }\n": types.InstallLogLiveDocument,
    "\n  query SegmentsPage($first: Int, $after: String, $filter: SegmentFilter) {\n    segments(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        node {\n          ...SegmentRowFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.SegmentsPageDocument,
    "\n  query SegmentDownloadLink($id: ID!) {\n    segment(id: $id) {\n      id\n      downloadUrl\n    }\n  }\n": types.SegmentDownloadLinkDocument,
    "\n  query LabelledSeatsPage($first: Int, $after: String, $selector: String) {\n    seats(first: $first, after: $after, selector: $selector) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          ip\n          createdAt\n          description\n          labels {\n            key\n            value\n          }\n          groups\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.LabelledSeatsPageDocument,
    "\n  mutation RelabelSeats($selector: String, $set: [LabelInput!], $remove: [String!]) {\n    setSeatLabels(selector: $selector, set: $set, remove: $remove) {\n      __typename\n      ... on SetSeatLabelsSuccess {\n        matchedCount\n        changedCount\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.RelabelSeatsDocument,
    "\n  query SeatGroupList {\n    seatGroups {\n      name\n      selector\n      protected\n      description\n      seatCount\n      desiredVersions {\n        name\n        version\n        drift\n        convergeError\n      }\n    }\n  }\n": types.SeatGroupListDocument,
    "\n  query SeatGroupMembers($name: String!, $first: Int, $after: String) {\n    seatGroup(name: $name) {\n      name\n      seats(first: $first, after: $after) {\n        totalCount\n        edges {\n          node {\n            id\n            name\n            ip\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.SeatGroupMembersDocument,
    "\n  mutation SaveSeatGroup($input: SeatGroupInput!) {\n    upsertSeatGroup(input: $input) {\n      __typename\n      ... on UpsertSeatGroupSuccess {\n        group {\n          name\n          seatCount\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.SaveSeatGroupDocument,
    "\n  query SeatIdsBySelector($selector: String, $after: String) {\n    seats(first: 500, after: $after, selector: $selector) {\n      edges {\n        node {\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.SeatIdsBySelectorDocument,
    "\n  query GroupSeatIds($name: String!, $after: String) {\n    seatGroup(name: $name) {\n      # Nested lists cost more under the query-cost limit than top-level ones: smaller pages.\n      seats(first: 200, after: $after) {\n        edges {\n          node {\n            id\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.GroupSeatIdsDocument,
    "\n  mutation CreateRolloutRequest($input: RolloutInput!) {\n    createRollout(input: $input) {\n      __typename\n      ... on CreateRolloutSuccess {\n        rollout {\n          id\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.CreateRolloutRequestDocument,
    "\n  mutation ApproveRolloutRequest($id: ID!, $note: String) {\n    approveRollout(id: $id, note: $note) {\n      __typename\n      ... on ApproveRolloutSuccess {\n        rollout {\n          ...RolloutViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.ApproveRolloutRequestDocument,
    "\n  mutation PauseRolloutRequest($id: ID!, $reason: String!) {\n    pauseRollout(id: $id, reason: $reason) {\n      __typename\n      ... on PauseRolloutSuccess {\n        rollout {\n          ...RolloutViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.PauseRolloutRequestDocument,
    "\n  mutation ResumeRolloutRequest($id: ID!) {\n    resumeRollout(id: $id) {\n      __typename\n      ... on ResumeRolloutSuccess {\n        rollout {\n          ...RolloutViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.ResumeRolloutRequestDocument,
    "\n  mutation CancelRolloutRequest($id: ID!, $reason: String!) {\n    cancelRollout(id: $id, reason: $reason) {\n      __typename\n      ... on CancelRolloutSuccess {\n        rollout {\n          ...RolloutViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.CancelRolloutRequestDocument,
    "\n  mutation RollbackRolloutRequest($id: ID!, $reason: String!) {\n    rollbackRollout(id: $id, reason: $reason) {\n      __typename\n      ... on RollbackRolloutSuccess {\n        rollout {\n          ...RolloutViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.RollbackRolloutRequestDocument,
    "\n  fragment RolloutViewFields on Rollout {\n    id\n    segmentName\n    version\n    group\n    selector\n    state\n    currentWave\n    percent\n    pausedReason\n    pausedCause\n    error\n    createdBy\n    createdAt\n    startedAt\n    finishedAt\n    nextWaveAt\n    maxFailurePercent\n    onFailure\n    waves {\n      index\n      seatCount\n      state\n      succeeded\n      failed\n      soakSeconds\n      soakUntil\n      requireApproval\n    }\n    summary {\n      total\n      pending\n      running\n      succeeded\n      failed\n      timedOut\n      rolledBack\n      notReverted\n      skipped\n    }\n    rollback {\n      by\n      reason\n      steps\n      stepsDone\n    }\n    approvals {\n      wave\n      by\n      at\n      note\n    }\n    events {\n      at\n      by\n      kind\n      message\n    }\n  }\n": types.RolloutViewFieldsFragmentDoc,
    "\n  query RolloutById($id: ID!) {\n    rollout(id: $id) {\n      ...RolloutViewFields\n    }\n  }\n": types.RolloutByIdDocument,
    "\n  subscription RolloutLive($id: ID!) {\n    rolloutUpdated(id: $id) {\n      ...RolloutViewFields\n    }\n  }\n": types.RolloutLiveDocument,
    "\n  query RolloutSeatsPage($id: ID!, $first: Int, $after: String, $state: RolloutSeatState) {\n    rollout(id: $id) {\n      id\n      seats(first: $first, after: $after, state: $state) {\n        totalCount\n        nodes {\n          seatName\n          wave\n          state\n          attempts\n          fromVersions\n          error\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.RolloutSeatsPageDocument,
    "\n  query RolloutsPage($first: Int, $after: String, $filter: RolloutFilter) {\n    rollouts(first: $first, after: $after, filter: $filter, newestFirst: true) {\n      nodes {\n        id\n        segmentName\n        version\n        group\n        selector\n        state\n        percent\n        createdBy\n        createdAt\n        finishedAt\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.RolloutsPageDocument,
    "\n  query SyncedSegmentChoices {\n    segments(first: 200, filter: { syncStatus: SYNCED, deleteStatus: NONE }) {\n      edges {\n        node {\n          id\n          name\n          version\n        }\n      }\n    }\n  }\n": types.SyncedSegmentChoicesDocument,
    "\n  query PreviewRolloutSizes($input: RolloutInput!) {\n    previewRollout(input: $input) {\n      seatCount\n      skipped\n      firstWindowAt\n      waves {\n        index\n        seatCount\n      }\n    }\n  }\n": types.PreviewRolloutSizesDocument,
    "\n  fragment SegmentBadgeFields on Segment {\n    lifecycle\n    integrity {\n      status\n      checkedAt\n      reason\n    }\n  }\n": types.SegmentBadgeFieldsFragmentDoc,
    "\n  fragment SegmentTrustViewFields on Segment {\n    id\n    ...SegmentBadgeFields\n    signatureStatus\n    signatures {\n      keyId\n      signedAt\n      valid\n      reason\n      key {\n        label\n        keyId\n      }\n    }\n    promotion {\n      tested\n      testedAt\n      testSeats\n      reasons\n    }\n    releasedAt\n    releasedBy\n    releaseNote\n    deprecatedReason\n  }\n": types.SegmentTrustViewFieldsFragmentDoc,
    "\n  mutation MarkSegmentTestedRequest($id: ID!, $reason: String!) {\n    markSegmentTested(id: $id, reason: $reason) {\n      __typename\n      ... on MarkSegmentTestedSuccess {\n        segment {\n          ...SegmentTrustViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.MarkSegmentTestedRequestDocument,
    "\n  mutation ReleaseSegmentRequest($id: ID!, $note: String) {\n    releaseSegment(id: $id, note: $note) {\n      __typename\n      ... on ReleaseSegmentSuccess {\n        segment {\n          ...SegmentTrustViewFields\n        }\n      }\n      ... on SegmentNotTestedError {\n        reasons\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.ReleaseSegmentRequestDocument,
    "\n  mutation DeprecateSegmentRequest($id: ID!, $reason: String!) {\n    deprecateSegment(id: $id, reason: $reason) {\n      __typename\n      ... on DeprecateSegmentSuccess {\n        segment {\n          ...SegmentTrustViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.DeprecateSegmentRequestDocument,
    "\n  mutation VerifySegmentFileRequest($id: ID!) {\n    verifySegmentFile(id: $id) {\n      __typename\n      ... on VerifySegmentFileSuccess {\n        segment {\n          ...SegmentTrustViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.VerifySegmentFileRequestDocument,
    "\n  fragment SigningKeyRowFields on SigningKey {\n    keyId\n    algorithm\n    label\n    addedAt\n    notAfter\n    revokedAt\n    revokeReason\n  }\n": types.SigningKeyRowFieldsFragmentDoc,
    "\n  query SigningKeyList {\n    signingKeys {\n      ...SigningKeyRowFields\n    }\n  }\n": types.SigningKeyListDocument,
    "\n  mutation AddSigningKeyRequest($publicKeyPem: String!, $label: String!, $notAfter: DateTime) {\n    addSigningKey(publicKeyPem: $publicKeyPem, label: $label, notAfter: $notAfter) {\n      __typename\n      ... on AddSigningKeySuccess {\n        key {\n          ...SigningKeyRowFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.AddSigningKeyRequestDocument,
    "\n  mutation RevokeSigningKeyRequest($keyId: String!, $reason: String!) {\n    revokeSigningKey(keyId: $keyId, reason: $reason) {\n      __typename\n      ... on RevokeSigningKeySuccess {\n        key {\n          ...SigningKeyRowFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.RevokeSigningKeyRequestDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SegmentRowFields on Segment {\n    id\n    name\n    version\n    format\n    target\n    fileName\n    size\n    isLocal\n    createdAt\n    deleted\n    deleteStatus\n    deleteError\n    installedSeatCount\n    sync {\n      status\n      attempts\n      lastError\n      nextAttemptAt\n    }\n    ...SegmentBadgeFields\n  }\n"): typeof import('./graphql.js').SegmentRowFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LogProgressFields on InstallLog {\n    recordId\n    status\n    percent\n    startedAt\n    finishedAt\n    timedOutAt\n    summary {\n      total\n      pending\n      running\n      succeeded\n      failed\n    }\n  }\n"): typeof import('./graphql.js').LogProgressFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InstallSeatFields on InstallLogSeat {\n    seatName\n    action\n    state\n    percent\n    error\n  }\n"): typeof import('./graphql.js').InstallSeatFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InstallRecordFields on InstallRecord {\n    id\n    status\n    error\n    createdAt\n    finishedAt\n    installSeatNames\n    uninstallSeatNames\n  }\n"): typeof import('./graphql.js').InstallRecordFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentDetail($id: ID!) {\n    segment(id: $id) {\n      ...SegmentRowFields\n      ...SegmentTrustViewFields\n      description\n      sha256\n      seats {\n        id\n        name\n      }\n      versions {\n        id\n        version\n        sync {\n          status\n        }\n      }\n      installRecords {\n        ...InstallRecordFields\n      }\n    }\n  }\n"): typeof import('./graphql.js').SegmentDetailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SegmentChanged {\n    segmentUpdated {\n      ...SegmentRowFields\n    }\n  }\n"): typeof import('./graphql.js').SegmentChangedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUploadSession($input: UploadSessionInput!) {\n    createUploadSession(input: $input) {\n      __typename\n      ... on CreateUploadSessionSuccess {\n        session {\n          id\n          uploadUrl\n          token\n          offset\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').CreateUploadSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenewUploadSession($id: ID!) {\n    renewUploadSession(id: $id) {\n      __typename\n      ... on RenewUploadSessionSuccess {\n        session {\n          id\n          uploadUrl\n          token\n          offset\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').RenewUploadSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompleteUploadSession($id: ID!) {\n    completeUploadSession(id: $id) {\n      __typename\n      ... on UploadSegmentSuccess {\n        segment {\n          ...SegmentRowFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').CompleteUploadSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteSegmentById($id: ID!) {\n    deleteSegment(id: $id) {\n      __typename\n      ... on DeleteSegmentSuccess {\n        segment {\n          ...SegmentRowFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').DeleteSegmentByIdDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetrySync($id: ID!) {\n    retrySegmentSync(id: $id) {\n      __typename\n      ... on RetrySegmentSyncSuccess {\n        segment {\n          ...SegmentRowFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').RetrySyncDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SeatsPage($first: Int, $after: String) {\n    seats(first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          ip\n          createdAt\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql.js').SeatsPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddSeats($seats: [SeatInput!]!) {\n    upsertSeats(seats: $seats) {\n      __typename\n      ... on UpsertSeatsSuccess {\n        seats {\n          id\n          name\n          ip\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').AddSeatsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartInstall($id: ID!, $seatIds: [ID!]!) {\n    installSegment(id: $id, seatIds: $seatIds) {\n      __typename\n      ... on InstallSegmentSuccess {\n        record {\n          ...InstallRecordFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n      ... on InstallInProgressError {\n        recordId\n      }\n    }\n  }\n"): typeof import('./graphql.js').StartInstallDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InstallRecordLog($id: ID!) {\n    installRecord(id: $id) {\n      ...InstallRecordFields\n      log {\n        ...LogProgressFields\n        seats {\n          ...InstallSeatFields\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').InstallRecordLogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription InstallLogLive($recordId: ID!) {\n    installLogUpdated(recordId: $recordId) {\n      ...LogProgressFields\n      changedSeats {\n        ...InstallSeatFields\n      }\n    }\n  }\n"): typeof import('./graphql.js').InstallLogLiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentsPage($first: Int, $after: String, $filter: SegmentFilter) {\n    segments(first: $first, after: $after, filter: $filter) {\n      totalCount\n      edges {\n        node {\n          ...SegmentRowFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql.js').SegmentsPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentDownloadLink($id: ID!) {\n    segment(id: $id) {\n      id\n      downloadUrl\n    }\n  }\n"): typeof import('./graphql.js').SegmentDownloadLinkDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LabelledSeatsPage($first: Int, $after: String, $selector: String) {\n    seats(first: $first, after: $after, selector: $selector) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          ip\n          createdAt\n          description\n          labels {\n            key\n            value\n          }\n          groups\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql.js').LabelledSeatsPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RelabelSeats($selector: String, $set: [LabelInput!], $remove: [String!]) {\n    setSeatLabels(selector: $selector, set: $set, remove: $remove) {\n      __typename\n      ... on SetSeatLabelsSuccess {\n        matchedCount\n        changedCount\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').RelabelSeatsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SeatGroupList {\n    seatGroups {\n      name\n      selector\n      protected\n      description\n      seatCount\n      desiredVersions {\n        name\n        version\n        drift\n        convergeError\n      }\n    }\n  }\n"): typeof import('./graphql.js').SeatGroupListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SeatGroupMembers($name: String!, $first: Int, $after: String) {\n    seatGroup(name: $name) {\n      name\n      seats(first: $first, after: $after) {\n        totalCount\n        edges {\n          node {\n            id\n            name\n            ip\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').SeatGroupMembersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SaveSeatGroup($input: SeatGroupInput!) {\n    upsertSeatGroup(input: $input) {\n      __typename\n      ... on UpsertSeatGroupSuccess {\n        group {\n          name\n          seatCount\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').SaveSeatGroupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SeatIdsBySelector($selector: String, $after: String) {\n    seats(first: 500, after: $after, selector: $selector) {\n      edges {\n        node {\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql.js').SeatIdsBySelectorDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GroupSeatIds($name: String!, $after: String) {\n    seatGroup(name: $name) {\n      # Nested lists cost more under the query-cost limit than top-level ones: smaller pages.\n      seats(first: 200, after: $after) {\n        edges {\n          node {\n            id\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').GroupSeatIdsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateRolloutRequest($input: RolloutInput!) {\n    createRollout(input: $input) {\n      __typename\n      ... on CreateRolloutSuccess {\n        rollout {\n          id\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').CreateRolloutRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApproveRolloutRequest($id: ID!, $note: String) {\n    approveRollout(id: $id, note: $note) {\n      __typename\n      ... on ApproveRolloutSuccess {\n        rollout {\n          ...RolloutViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').ApproveRolloutRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PauseRolloutRequest($id: ID!, $reason: String!) {\n    pauseRollout(id: $id, reason: $reason) {\n      __typename\n      ... on PauseRolloutSuccess {\n        rollout {\n          ...RolloutViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').PauseRolloutRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResumeRolloutRequest($id: ID!) {\n    resumeRollout(id: $id) {\n      __typename\n      ... on ResumeRolloutSuccess {\n        rollout {\n          ...RolloutViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').ResumeRolloutRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelRolloutRequest($id: ID!, $reason: String!) {\n    cancelRollout(id: $id, reason: $reason) {\n      __typename\n      ... on CancelRolloutSuccess {\n        rollout {\n          ...RolloutViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').CancelRolloutRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RollbackRolloutRequest($id: ID!, $reason: String!) {\n    rollbackRollout(id: $id, reason: $reason) {\n      __typename\n      ... on RollbackRolloutSuccess {\n        rollout {\n          ...RolloutViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').RollbackRolloutRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RolloutViewFields on Rollout {\n    id\n    segmentName\n    version\n    group\n    selector\n    state\n    currentWave\n    percent\n    pausedReason\n    pausedCause\n    error\n    createdBy\n    createdAt\n    startedAt\n    finishedAt\n    nextWaveAt\n    maxFailurePercent\n    onFailure\n    waves {\n      index\n      seatCount\n      state\n      succeeded\n      failed\n      soakSeconds\n      soakUntil\n      requireApproval\n    }\n    summary {\n      total\n      pending\n      running\n      succeeded\n      failed\n      timedOut\n      rolledBack\n      notReverted\n      skipped\n    }\n    rollback {\n      by\n      reason\n      steps\n      stepsDone\n    }\n    approvals {\n      wave\n      by\n      at\n      note\n    }\n    events {\n      at\n      by\n      kind\n      message\n    }\n  }\n"): typeof import('./graphql.js').RolloutViewFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RolloutById($id: ID!) {\n    rollout(id: $id) {\n      ...RolloutViewFields\n    }\n  }\n"): typeof import('./graphql.js').RolloutByIdDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RolloutLive($id: ID!) {\n    rolloutUpdated(id: $id) {\n      ...RolloutViewFields\n    }\n  }\n"): typeof import('./graphql.js').RolloutLiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RolloutSeatsPage($id: ID!, $first: Int, $after: String, $state: RolloutSeatState) {\n    rollout(id: $id) {\n      id\n      seats(first: $first, after: $after, state: $state) {\n        totalCount\n        nodes {\n          seatName\n          wave\n          state\n          attempts\n          fromVersions\n          error\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').RolloutSeatsPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RolloutsPage($first: Int, $after: String, $filter: RolloutFilter) {\n    rollouts(first: $first, after: $after, filter: $filter, newestFirst: true) {\n      nodes {\n        id\n        segmentName\n        version\n        group\n        selector\n        state\n        percent\n        createdBy\n        createdAt\n        finishedAt\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): typeof import('./graphql.js').RolloutsPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SyncedSegmentChoices {\n    segments(first: 200, filter: { syncStatus: SYNCED, deleteStatus: NONE }) {\n      edges {\n        node {\n          id\n          name\n          version\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').SyncedSegmentChoicesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PreviewRolloutSizes($input: RolloutInput!) {\n    previewRollout(input: $input) {\n      seatCount\n      skipped\n      firstWindowAt\n      waves {\n        index\n        seatCount\n      }\n    }\n  }\n"): typeof import('./graphql.js').PreviewRolloutSizesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SegmentBadgeFields on Segment {\n    lifecycle\n    integrity {\n      status\n      checkedAt\n      reason\n    }\n  }\n"): typeof import('./graphql.js').SegmentBadgeFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SegmentTrustViewFields on Segment {\n    id\n    ...SegmentBadgeFields\n    signatureStatus\n    signatures {\n      keyId\n      signedAt\n      valid\n      reason\n      key {\n        label\n        keyId\n      }\n    }\n    promotion {\n      tested\n      testedAt\n      testSeats\n      reasons\n    }\n    releasedAt\n    releasedBy\n    releaseNote\n    deprecatedReason\n  }\n"): typeof import('./graphql.js').SegmentTrustViewFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkSegmentTestedRequest($id: ID!, $reason: String!) {\n    markSegmentTested(id: $id, reason: $reason) {\n      __typename\n      ... on MarkSegmentTestedSuccess {\n        segment {\n          ...SegmentTrustViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').MarkSegmentTestedRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReleaseSegmentRequest($id: ID!, $note: String) {\n    releaseSegment(id: $id, note: $note) {\n      __typename\n      ... on ReleaseSegmentSuccess {\n        segment {\n          ...SegmentTrustViewFields\n        }\n      }\n      ... on SegmentNotTestedError {\n        reasons\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').ReleaseSegmentRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeprecateSegmentRequest($id: ID!, $reason: String!) {\n    deprecateSegment(id: $id, reason: $reason) {\n      __typename\n      ... on DeprecateSegmentSuccess {\n        segment {\n          ...SegmentTrustViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').DeprecateSegmentRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifySegmentFileRequest($id: ID!) {\n    verifySegmentFile(id: $id) {\n      __typename\n      ... on VerifySegmentFileSuccess {\n        segment {\n          ...SegmentTrustViewFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').VerifySegmentFileRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SigningKeyRowFields on SigningKey {\n    keyId\n    algorithm\n    label\n    addedAt\n    notAfter\n    revokedAt\n    revokeReason\n  }\n"): typeof import('./graphql.js').SigningKeyRowFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SigningKeyList {\n    signingKeys {\n      ...SigningKeyRowFields\n    }\n  }\n"): typeof import('./graphql.js').SigningKeyListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddSigningKeyRequest($publicKeyPem: String!, $label: String!, $notAfter: DateTime) {\n    addSigningKey(publicKeyPem: $publicKeyPem, label: $label, notAfter: $notAfter) {\n      __typename\n      ... on AddSigningKeySuccess {\n        key {\n          ...SigningKeyRowFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').AddSigningKeyRequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeSigningKeyRequest($keyId: String!, $reason: String!) {\n    revokeSigningKey(keyId: $keyId, reason: $reason) {\n      __typename\n      ... on RevokeSigningKeySuccess {\n        key {\n          ...SigningKeyRowFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').RevokeSigningKeyRequestDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
